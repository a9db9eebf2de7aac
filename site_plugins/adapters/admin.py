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

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from site_plugins.adapters.meta import MetaPlugin
from site_plugins.editors import admin, cms

log = logging.getLogger("mkdocs.plugins.rc-admin")
PACKAGE_CHECKOUT = Path(__file__).resolve().parents[2]
BACKENDS = ("github", "gitea", "forgejo", "gitlab")


class AdminConfig(Config):
    backend = opt.Type(dict, default={"name": "github", "repo": "owner/repo", "branch": "main"})
    editorial_workflow = opt.Type(bool, default=True)  # a story becomes a pull request (GitHub, Forgejo)
    local_port = opt.Type(int, default=cms.LOCAL_PORT)  # decap-server on 127.0.0.1 (scripts/edit)


class AdminPlugin(BasePlugin[AdminConfig]):
    """Writes /admin/: Decap CMS with a configuration generated from the schema."""

    bundle: admin.Bundle | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if "rc-meta" not in config.plugins:
            raise PluginError("rc-admin: list rc-meta before rc-admin in mkdocs.yml plugins.")
        name = str(self.config.backend.get("name", ""))
        if name not in BACKENDS or not self.config.backend.get("repo"):
            raise PluginError(f"rc-admin: backend needs name (one of {', '.join(BACKENDS)}) and repo "
                              f"(owner/name); got {self.config.backend!r}. See docs/EDITORS_GUIDE.zh.md.")
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
        backend = dict(self.config.backend)
        config_yml = cms.dump(cms.cms_config(
            meta.catalog.vocabulary, meta.catalog.authors, site_url=config.site_url or "",
            backend=backend, editorial_workflow=self.config.editorial_workflow,
            local_port=self.config.local_port))
        files = admin.write_admin(site_dir, self.bundle, config_yml, site_name=config.site_name,
                                  settings=settings)
        size = admin.served_bytes(files, site_dir)
        log.info(f"rc-admin: /admin/ written (Decap CMS {self.bundle.version}, {len(files)} files, "
                 f"{size / 1e6:.1f} MB, backend {backend['name']})")


def _preview_styles(site_dir: Path, config: MkDocsConfig) -> list[str]:
    """The site's stylesheets as seen from /admin/: Material's, then extra_css."""
    theme = sorted(p.relative_to(site_dir).as_posix()
                   for p in (site_dir / "assets" / "stylesheets").glob("*.min.css"))
    extra = [str(css) for css in config.extra_css]
    return ["../" + path for path in [*theme, *extra]]
