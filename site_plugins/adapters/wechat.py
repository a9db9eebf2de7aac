"""MkDocs adapter for the 公众号 edition: the preview's 复制到公众号 button, never the public site.

Only under `mkdocs serve` (scripts/serve): `on_files` serves the button's script. Each story's and
lecture's article is part of its view in the preview (`pipeline.views.wechat`, the very
`outputs/wechat/edition.article` scripts/wechat calls), which rc-meta adds from the rendered body.
"""

from __future__ import annotations

from importlib import resources

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from site_plugins import urls


class WechatPlugin(BasePlugin):
    """复制到公众号 on every story and lecture page of the preview."""

    def __init__(self) -> None:
        self.preview = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.preview = command == "serve"

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.preview:
            script = resources.files("site_plugins.outputs.wechat").joinpath("copy.js").read_text(encoding="utf-8")
            files.append(File.generated(config, urls.WECHAT_COPY_SCRIPT, content=script))
        return files
