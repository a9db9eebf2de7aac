"""MkDocs adapter for images (entry point `rc-images`): each page's `<img>` made its `<picture>`.

What images a build publishes, their variants, the social images, share pictures and card
placeholders are `prepare`'s media stage (pipeline/media.py); rc-meta publishes the files. Here
only the part that needs each page's rendered HTML: `pipeline.views.pictures`.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from site_plugins.adapters.base import Adapter, prepared
from site_plugins.pipeline.views import pictures


class ImagesPlugin(Adapter):
    """Responsive, metadata-free images and 1200x630 social cards."""

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        result = prepared(config)
        return pictures(result.published, html, page.url, result.settings.images.sizes)
