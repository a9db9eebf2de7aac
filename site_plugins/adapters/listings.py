"""MkDocs adapter for listings and the page chrome around them.

- `on_config`: the footer's registration numbers and contact details (mkdocs.yml `extra`, checked
  by settings.load: a mistake fails the build with a Chinese `mkdocs.yml:line: field: message`).
- `on_files`: the generated index pages.
- `on_page_context`: listing, related and home data, `rc_footer`; the section's tab marked
  active; the table-of-contents column hidden on pages without headings (no empty column).
- `on_post_page` / `on_post_template`: drop `autocomplete` from Material's checkboxes (invalid HTML).
"""

from __future__ import annotations

import json
from typing import Any, cast

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from site_plugins.adapters.base import Adapter, settings_of
from site_plugins.adapters.context import rc
from site_plugins.adapters.meta import MetaPlugin
from site_plugins.outputs.pages.footer import Footer, strip_checkbox_autocomplete
from site_plugins.outputs.pages.listings import Listing, Listings, build_listings
from site_plugins.settings import ImagesOptions, ListingsOptions


class ListingsPlugin(Adapter):
    """Generated pages: /narratives/, /narratives/<key>/, /stories/, archives, /lectures/."""

    def __init__(self) -> None:
        self.listings = Listings()
        self.by_src: dict[str, Listing] = {}
        self._tab: Page | None = None
        self.footer = Footer()
        self.sizes = ListingsOptions()
        self.picture_sizes = ImagesOptions.sizes

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings = settings_of(config, "rc-listings")
        self.footer, self.sizes = settings.footer, settings.listings
        self.picture_sizes = settings.images.sizes  # the home page's picture fills the column rc-images' do
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        meta: MetaPlugin = config.plugins["rc-meta"]  # type: ignore[assignment]
        assert meta.edition is not None and meta.catalog is not None
        sizes = self.sizes
        self.listings = build_listings(meta.edition, meta.catalog.vocabulary, meta.thumbnails,
                                       sizes.page_size, sizes.related, sizes.home, meta.placeholders,
                                       self.picture_sizes)
        self.by_src = {listing.src_uri: listing for listing in self.listings.pages}
        for listing in self.listings.pages:
            existing = files.get_file_from_path(listing.src_uri)
            if existing is not None:
                files.remove(existing)  # the generated index wins over a stray hand-made file
            files.append(File.generated(config, listing.src_uri, content=_stub(listing)))
        return files

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        data = rc(context)
        listing = self.by_src.get(page.file.src_uri)
        if listing is not None:
            data["listing"] = listing
        elif page.is_homepage:
            data["home"] = self.listings.home
        else:
            related = self.listings.related.get(page.file.src_uri)
            if related:
                data["related"] = related
        self._highlight_tab(page, listing, data.get("kind"), nav)
        cast(dict[str, Any], context)["rc_footer"] = self.footer
        if not _has_toc(page):
            hide = page.meta.get("hide")
            page.meta["hide"] = [*hide, "toc"] if isinstance(hide, list) else ["toc"]
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
        return strip_checkbox_autocomplete(output)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return strip_checkbox_autocomplete(output_content) if template_name.endswith(".html") else output_content


def _has_toc(page: Page) -> bool:
    """Whether Material's table of contents would list anything (it skips a lone h1)."""
    toc = list(page.toc)
    if len(toc) == 1 and toc[0].level == 1:
        toc = list(toc[0].children)
    return bool(toc)


def _stub(listing: Listing) -> str:
    """The generated page's source: only front matter; the template draws the listing."""
    title = json.dumps(listing.title, ensure_ascii=False)  # a JSON string is a YAML string, whatever it holds
    return f'---\ntitle: {title}\ntemplate: listing.html\nsearch:\n  exclude: true\n---\n'
