"""MkDocs adapter for the page chrome around listings (entry point `rc-listings`).

Listed in mkdocs.yml, it turns on the generated listing pages and the home page's sections in
`prepare` (outputs/pages/listings.py). Here what only MkDocs' own page objects allow:
- `on_page_context`: the section's tab marked active on pages kept out of the nav (stories,
  listings); the table-of-contents column hidden on pages without headings (no empty column).
- `on_post_page` / `on_post_template`: drop `autocomplete` from Material's checkboxes (invalid HTML).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from site_plugins.adapters.base import Adapter, prepared
from site_plugins.outputs.pages.footer import strip_checkbox_autocomplete


class ListingsPlugin(Adapter):
    """Generated pages: /narratives/, /narratives/<key>/, /stories/, archives, /lectures/."""

    def __init__(self) -> None:
        self._tab: Page | None = None

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        listing = prepared(config).listing_at.get(page.file.src_uri)
        view = page.meta.get("rc") or {}
        self._highlight_tab(page, listing.section if listing is not None else None, view.get("kind"), nav)
        if not _has_toc(page):
            hide = page.meta.get("hide")
            page.meta["hide"] = [*hide, "toc"] if isinstance(hide, list) else ["toc"]
        return context

    def _highlight_tab(self, page: Page, section: str | None, kind: str | None, nav: Any) -> None:
        """Mark the section's tab active on pages kept out of the nav (stories, listings)."""
        section = section or {"story": "stories", "lecture": "lectures"}.get(kind or "")
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
