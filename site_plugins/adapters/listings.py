"""MkDocs adapter for listings: adds the generated index pages and hands templates their data."""

from __future__ import annotations

from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from site_plugins.adapters.meta import MetaPlugin
from site_plugins.outputs.listings import Listing, Listings, build_listings


class ListingsConfig(Config):
    page_size = opt.Type(int, default=12)
    related = opt.Type(int, default=4)
    home = opt.Type(int, default=3)


class ListingsPlugin(BasePlugin[ListingsConfig]):
    """Generated pages: /narratives/, /narratives/<key>/, /stories/, archives, /lectures/."""

    def __init__(self) -> None:
        self.listings = Listings()
        self.by_src: dict[str, Listing] = {}
        self._tab: Page | None = None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        meta: MetaPlugin = config.plugins["rc-meta"]  # type: ignore[assignment]
        assert meta.edition is not None and meta.catalog is not None
        self.listings = build_listings(meta.edition, meta.catalog.vocabulary, meta.thumbnails,
                                       self.config.page_size, self.config.related, self.config.home)
        self.by_src = {listing.src_uri: listing for listing in self.listings.pages}
        for listing in self.listings.pages:
            existing = files.get_file_from_path(listing.src_uri)
            if existing is not None:
                files.remove(existing)  # the generated index wins over a stray hand-made file
            files.append(File.generated(config, listing.src_uri, content=_stub(listing)))
        return files

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
        rc = context.setdefault("rc", {})
        listing = self.by_src.get(page.file.src_uri)
        if listing is not None:
            rc["listing"] = listing
        elif page.is_homepage:
            rc["home"] = self.listings.home
        else:
            related = self.listings.related.get(page.file.src_uri)
            if related:
                rc["related"] = related
        self._highlight_tab(page, listing, rc.get("kind"), context.get("nav"))
        return context

    def _highlight_tab(self, page: Page, listing: Listing | None, kind: str | None, nav: Any) -> None:
        """Mark the section's tab active on pages kept out of the nav (stories, listings)."""
        section = listing.section if listing is not None else {"story": "stories", "lecture": "lectures"}.get(kind or "")
        if not section or page.parent is not None or nav is None:
            return
        tab = next((p for p in nav.pages if p.file.src_uri == f"{section}/index.md"), None)
        if tab is not None and tab is not page:
            tab.active = True
            self._tab = tab

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._tab is not None:
            self._tab.active = False
            self._tab = None
        return output


def _stub(listing: Listing) -> str:
    """The generated page's source: only front matter; the template draws the listing."""
    title = listing.title.replace('"', '\\"')
    return f'---\ntitle: "{title}"\ntemplate: listing.html\nsearch:\n  exclude: true\n---\n'
