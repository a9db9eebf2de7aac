"""MkDocs adapter for the web editor at /admin/ (entry point `rc-admin`).

`on_config` finds the vendored bundle, so a missing `npm ci` fails the build before anything is
written; `finish` lays out /admin/ with a config.yml made from the schema, the vocabulary and the
authors of this build. /admin/ is no MkDocs page, so it is in no sitemap, search index, feed or
nav; its page says noindex.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from site_plugins.adapters.base import Adapter, settings_of
from site_plugins.cms import admin

PACKAGE_CHECKOUT = Path(__file__).resolve().parents[2]


class AdminPlugin(Adapter):
    """Finds Decap CMS for /admin/ (pipeline/finish.py writes it)."""

    bundle: admin.Bundle | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings_of(config, "rc-admin")  # rc-meta, listed first, read and checked the options
        roots = [Path(config.config_file_path).resolve().parent, PACKAGE_CHECKOUT]
        try:
            self.bundle = admin.find_bundle(roots)
        except admin.BundleMissing as exc:
            raise PluginError(str(exc)) from None
        return config
