"""MkDocs adapter for the web editor at /admin/ (entry point `rc-admin`).

`on_config` finds the vendored bundle (a missing `npm ci` fails the build before anything is
written); `on_post_build` generates config.yml from the schema, the vocabulary and the authors of
this build (rc-meta's catalog) and lays out site_dir/admin/. /admin/ is no MkDocs page, so it is
in no sitemap, search index, feed or nav; its page says noindex.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from site_plugins import urls
from site_plugins.adapters.base import Adapter, settings_of
from site_plugins.adapters.meta import MetaPlugin
from site_plugins.cms import admin
from site_plugins.cms import config as cms
from site_plugins.settings import AdminOptions

log = logging.getLogger("mkdocs.plugins.rc-admin")
PACKAGE_CHECKOUT = Path(__file__).resolve().parents[2]


class AdminPlugin(Adapter):
    """Writes /admin/: Decap CMS with a configuration generated from the schema."""

    bundle: admin.Bundle | None = None
    options = AdminOptions()  # rc-admin's settings (site_plugins/settings.py; the backend is checked there)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.options = settings_of(config, "rc-admin").admin
        roots = [Path(config.config_file_path).resolve().parent, PACKAGE_CHECKOUT]
        try:
            self.bundle = admin.find_bundle(roots)
        except admin.BundleMissing as exc:
            raise PluginError(str(exc)) from None
        return config

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        meta: MetaPlugin = config.plugins["rc-meta"]  # type: ignore[assignment]
        assert meta.catalog is not None and self.bundle is not None
        site_dir = Path(config.site_dir)
        settings: dict[str, Any] = {**cms.preview_settings(), "styles": _preview_styles(site_dir, config)}
        backend = dict(self.options.backend)
        config_yml = cms.dump(cms.cms_config(
            meta.catalog.vocabulary, meta.catalog.authors, site_url=config.site_url or "",
            backend=backend, editorial_workflow=self.options.editorial_workflow,
            local_port=self.options.local_port))
        files = admin.write_admin(site_dir, self.bundle, config_yml, site_name=config.site_name,
                                  settings=settings)
        size = admin.served_bytes(files, site_dir)
        log.info(f"rc-admin: /admin/ written (Decap CMS {self.bundle.version}, {len(files)} files, "
                 f"{size / 1e6:.1f} MB, backend {backend['name']})")


def _preview_styles(site_dir: Path, config: MkDocsConfig) -> list[str]:
    """The site's stylesheets as seen from /admin/: Material's, then extra_css."""
    theme = sorted(p.relative_to(site_dir).as_posix()
                   for p in (site_dir / urls.ASSETS / "stylesheets").glob("*.min.css"))
    extra = [str(css) for css in config.extra_css]
    return [urls.relative(path, urls.ADMIN) for path in [*theme, *extra]]
