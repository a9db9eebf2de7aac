"""MkDocs adapter for the 公众号 edition: the preview's 复制到公众号 button, never the public site.

Only under `mkdocs serve` (scripts/serve): `on_page_content` keeps each story's and lecture's
rendered body (before rc-images turns its images into <picture>), `on_page_context` hands the
template (`partials/rc-wechat.html`) the article `outputs/wechat/edition.article` makes of it, the
very function scripts/wechat calls, and `on_files` serves the button's script. The images point
to the preview's own copies, the widest of the site's variants within the 公众号's 1080 px.
Articles are kept for the process by their inputs, so a rebuild makes only the changed ones.
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable
from importlib import resources
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from site_plugins import urls
from site_plugins.adapters.context import rc
from site_plugins.adapters.meta import MetaPlugin
from site_plugins.outputs.wechat import edition, images, links
from site_plugins.outputs.wechat.edition import Article

_ARTICLES: dict[str, Article] = {}  # inputs' digest -> article, for the serve process's rebuilds
_KEPT = 10_000  # a bound well above any site's entries


class WechatPlugin(BasePlugin):
    """复制到公众号 on every story and lecture page of the preview."""

    def __init__(self) -> None:
        self.preview = False
        self.bodies: dict[str, str] = {}  # entry source -> its rendered body, this build

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.preview = command == "serve"

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.preview:
            script = resources.files("site_plugins.outputs.wechat").joinpath("copy.js").read_text(encoding="utf-8")
            files.append(File.generated(config, urls.WECHAT_COPY_SCRIPT, content=script))
        return files

    @event_priority(50)  # before rc-images: the body's <img> still plain
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.preview:
            self.bodies[page.file.src_uri] = html
        return html

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        meta: MetaPlugin = config.plugins["rc-meta"]  # type: ignore[assignment]
        entry = meta.entries.get(page.file.src_uri)
        if not self.preview or entry is None or meta.site is None or meta.edition is None:
            return context
        image_src = _preview_images(config, page.url)
        cover = image_src(urls.relative(meta.image_url[entry.cover.src], page.url)) \
            if entry.cover and entry.cover.src in meta.image_url else None
        body = self.bodies.pop(page.file.src_uri, "")
        now = meta.edition.now
        key = hashlib.sha256(repr((body, repr(entry), entry.kind == "lecture" and entry.date > now,
                                   page.url, meta.site.url, cover)).encode()).hexdigest()
        found = _ARTICLES.get(key)
        if found is None:
            found = edition.article(entry, body, url=meta.site.absolute(entry.url), now=now,
                                    link=links.site_links(page.url, meta.site.url), image=image_src, cover_src=cover)
            if len(_ARTICLES) >= _KEPT:
                _ARTICLES.clear()
            _ARTICLES[key] = found
        rc(context)["wechat"] = {
            "html": Markup(found.html),  # built from escaped text by lxml (edition.py)
            "title": found.title, "digest": found.digest, "url": found.url,
            "problems": [p.message for p in found.problems], "notices": [p.message for p in found.notices],
            "script": urls.relative(urls.WECHAT_COPY_SCRIPT, page.url),
        }
        return context


def _preview_images(config: MkDocsConfig, page_url: str) -> Callable[[str], str]:
    """An <img src> of the rendered page -> the site's variant no wider than the 公众号's limit."""
    plugin: Any = config.plugins.get("rc-images")
    by_site_path: dict[str, str] = getattr(plugin, "by_site_path", {})
    published: dict[str, Any] = getattr(plugin, "images", {})

    def src(value: str) -> str:
        site_path = posixpath.normpath(posixpath.join(page_url, value))
        content = by_site_path.get(site_path)
        if content is None or content not in published:
            return value
        pub = published[content]
        return urls.relative(pub.site_path(images.preview_variant(pub.rendition).name), page_url)

    return src
