"""What every rc-* adapter shares: its mkdocs.yml options belong to the settings, not to MkDocs.

`settings.load` reads, checks and defaults every option of every rc-* plugin once (rc-meta's
`on_config`, first of the plugins), with the same Chinese messages scripts/check gives; MkDocs
is told each adapter has no options of its own, so there is no second set of defaults.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from site_plugins.pipeline.result import Prepared
from site_plugins.settings import Settings


class NoOptions(Config):
    """An adapter's MkDocs options: none (site_plugins/settings.py reads them)."""


class Adapter(BasePlugin[NoOptions]):
    """An rc-* plugin whose options MkDocs leaves alone (`settings_of` gives them)."""

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> tuple[list, list]:
        self.config = NoOptions(config_file_path=config_file_path)
        return [], []


def settings_of(config: MkDocsConfig, plugin: str) -> Settings:
    """The build's settings, which rc-meta loaded in its `on_config` (it must be listed first)."""
    settings = getattr(config.plugins.get("rc-meta"), "settings", None)
    if not isinstance(settings, Settings):
        raise PluginError(f"{plugin}：请在 mkdocs.yml 的 plugins 中把 rc-meta 列在 {plugin} 前面（它读取网站的设置）。")
    return settings


def prepared(config: MkDocsConfig) -> Prepared:
    """This build's `prepare` result, which rc-meta made in its `on_pre_build`."""
    result = getattr(config.plugins.get("rc-meta"), "result", None)
    if not isinstance(result, Prepared):
        raise PluginError("请在 mkdocs.yml 的 plugins 中列出 rc-meta，并把它列在第一位（它检查内容、准备每一页）。")
    return result
