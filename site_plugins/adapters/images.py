"""MkDocs adapter for images: process every image content uses, publish only the variants.

`on_pre_build` (after rc-meta's, before MkDocs empties site_dir) processes all
images and draws all social cards, square share images and posters
(media/share.py), so a bad image fails the build while the previous site is
intact. `on_files` drops every original image of content/ and publishes the
cached variants instead; `on_page_content` turns Markdown images into
`<picture>`; `on_page_context` hands the template the cover.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from site_plugins import urls
from site_plugins.adapters.base import Adapter, settings_of
from site_plugins.adapters.context import rc
from site_plugins.adapters.meta import MetaPlugin
from site_plugins.content.problems import ContentError, Problem, from_cwd
from site_plugins.content.schema import RASTER_SUFFIXES, Lecture, Story
from site_plugins.media.cache import (
    Cache,
    Runner,
    image_key,
    process_drawings,
    process_images,
    process_social_images,
)
from site_plugins.media.images import Rendition, still_covers
from site_plugins.media.picture import picture, rewrite
from site_plugins.media.placeholder import file_names as placeholder_names
from site_plugins.media.placeholder import fingerprint as placeholder_fingerprint
from site_plugins.media.placeholder import placeholders
from site_plugins.media.placeholder import site_paths as placeholder_paths
from site_plugins.media.share import poster_path, share_drawings
from site_plugins.media.social import SocialImageSpec, card_notices, card_texts, spec_for
from site_plugins.outputs.pages.cards import Thumb
from site_plugins.settings import ImagesOptions

log = logging.getLogger("mkdocs.plugins.rc-images")


@dataclass(frozen=True)
class Published:
    key: str
    rendition: Rendition

    def site_path(self, name: str) -> str:
        return urls.media(self.key, name)


class ImagesPlugin(Adapter):
    """Responsive, metadata-free images and 1200x630 social cards."""

    def __init__(self) -> None:
        self.cache: Cache | None = None
        self.options = ImagesOptions()  # rc-images' settings (site_plugins/settings.py)
        self.settings = self.options.render
        self.images: dict[str, Published] = {}  # content path -> its published variants
        self.by_site_path: dict[str, str] = {}  # site path of a main variant -> content path
        self.social_images: dict[str, Path] = {}  # site path of a card -> its file in the cache
        self.share_pictures: dict[str, Path] = {}  # site path of a square share image or poster -> its file
        self.fonts: tuple[str, ...] = ()  # the font chain the cards and share pictures are drawn with
        self.social_image_size: dict[str, tuple[int, int]] = {}  # entry source -> card size
        self.encoded = 0  # images encoded by the last build (0 on a warm build)
        self.placeholder_files: dict[str, Path] = {}  # site path -> its WebP file in the cache
        self.emblem = ""  # the site's logo file, drawn on posters and square images ("": the emblem drawn)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings = settings_of(config, "rc-images")
        self.options, self.settings = settings.images, settings.images.render
        self.fonts = settings.card_fonts  # configured files, checked by settings.load; never system fonts
        self.cache = Cache(settings.path(self.options.cache_dir))
        # The emblem the posters and square images show: the theme's logo (rc-meta's `logo`) if it is a PNG.
        logo = settings.meta.logo
        found = [Path(d) / logo for d in config.theme.dirs if logo.endswith(".png") and (Path(d) / logo).is_file()]
        self.emblem = str(found[0]) if found else ""
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        meta: MetaPlugin = config.plugins["rc-meta"]  # type: ignore[assignment]
        assert self.cache is not None and meta.site is not None and meta.catalog is not None
        docs = Path(config.docs_dir)
        uses = meta.catalog.image_uses(meta.entries.values())
        keys = {src: image_key(docs / src, self.settings) for src in sorted(uses)}
        problems: list[Problem] = []
        with Runner(self.options.workers) as runner:
            batch = process_images(self.cache, ((k, docs / s) for s, k in keys.items()), self.settings, runner)
            for src, key in keys.items():
                if key in batch.errors:
                    problems += [Problem(u.page, u.line, u.field, batch.errors[key].message) for u in uses[src]]
            if problems:
                for problem in sorted(problems):
                    log.error(str(problem))
                raise PluginError(str(ContentError(problems, from_cwd(config.docs_dir))))
            self.encoded = batch.encoded
            self.images = {src: Published(key, Rendition.from_json(batch.results[key])) for src, key in keys.items()}
            self.by_site_path = {p.site_path(p.rendition.main.name): src for src, p in self.images.items()}
            for src, pub in self.images.items():
                # A still picture (an animation's first frame) where one picture stands for the page:
                # feeds, podcast artwork, JSON-LD. The page itself shows the animation.
                meta.image_url[src] = pub.site_path(pub.rendition.still.name)
                thumb, double = pub.rendition.thumb, pub.rendition.thumb2x
                meta.thumbnails[src] = Thumb(pub.site_path(thumb.name), thumb.width, thumb.height,
                                             pub.site_path(double.name) if double else "")
            drawn = self._cards(meta, runner)
            shared = self._share(meta, runner)
        frames = {src: pub.rendition.frames for src, pub in self.images.items()}
        for notice in still_covers(uses, frames):  # scripts/check says the same (check/checker.py)
            log.info("注意：" + notice.shown(from_cwd(config.docs_dir)))
        self._placeholders(meta)
        log.info(f"rc-images: {len(keys)} images ({batch.encoded} encoded, {batch.cached} cached), "
                 f"{len(self.social_images)} social images ({drawn} drawn), "
                 f"{len(self.share_pictures)} squares and posters ({shared} drawn)")

    def _cards(self, meta: MetaPlugin, runner: Runner) -> int:
        """Draw (or find in the cache) the social card of every story and lecture."""
        assert self.cache is not None and meta.site is not None and meta.catalog is not None
        fonts = self.fonts
        vocab = meta.catalog.vocabulary
        specs: dict[str, tuple[str, SocialImageSpec]] = {}
        for entry in meta.entries.values():
            cover = self.images.get(entry.cover.src) if entry.cover else None
            spec = spec_for(entry, vocab, meta.site.name,
                            str(self.cache.path(cover.key, cover.rendition.still.name)) if cover else "",
                            cover.key if cover else "")
            specs[entry.source] = (spec.fingerprint(fonts), spec)
        for path, line, field, message in card_notices(card_texts(meta.entries.values(), vocab), fonts):
            log.info("注意：" + Problem(path, line, field, message).shown(from_cwd(meta.docs_dir)))  # info: never fails a strict build
        batch = process_social_images(self.cache, specs.values(), fonts, runner)
        self.social_images, self.social_image_size = {}, {}  # this build's cards only
        for source, (key, _spec) in specs.items():
            entry = meta.entries[source]
            manifest = batch.results[key]
            site_path = urls.social_image(entry.kind, entry.slug, manifest["name"].rsplit(".", 1)[1])
            self.social_images[site_path] = self.cache.path(key, manifest["name"])
            self.social_image_size[source] = (manifest["width"], manifest["height"])
            meta.og_images[source] = site_path
        self.fonts = fonts
        return batch.encoded

    def _share(self, meta: MetaPlugin, runner: Runner) -> int:
        """Draw (or find in the cache) each entry's square share image and poster, and the site's square."""
        assert self.cache is not None and meta.site is not None and meta.catalog is not None
        covers = {e.source: (str(self.cache.path(pub.key, pub.rendition.main.name)), pub.key)
                  for e in meta.entries.values() if e.cover and (pub := self.images.get(e.cover.src))}
        drawings = share_drawings(meta.entries.values(), meta.catalog.vocabulary, meta.site.name, meta.site.url,
                                  covers, self.fonts, self.emblem)
        batch = process_drawings(self.cache, drawings.values(), self.fonts, runner)
        self.share_pictures = {path: self.cache.path(key, batch.results[key]["name"]) for path, (key, _) in drawings.items()}
        published = meta.published
        published.site_square = urls.SITE_SHARE_IMAGE
        for entry in meta.entries.values():
            published.squares[entry.source] = urls.share_image(entry.kind, entry.slug)
            published.posters[entry.source] = poster_path(entry)
        return batch.encoded

    def _placeholders(self, meta: MetaPlugin) -> None:
        """Each narrative's card placeholder: drawn once (ten WebP encodes, about 0.3 s), then from the cache."""
        assert meta.catalog is not None and self.cache is not None
        size = self.settings.thumb_size
        narratives = tuple((n.key, n.label, n.color) for n in meta.catalog.vocabulary.narratives)
        key = placeholder_fingerprint(narratives, size)
        if self.cache.load(key) is None:
            drawn = placeholders(narratives, size)
            files = {name: data for k, pair in drawn.items() for name, data in zip(placeholder_names(k), pair, strict=True)}
            self.cache.store(key, files, {"narratives": sorted(drawn)})
        self.placeholder_files = {}
        for narrative, _label, _color in narratives:
            paths = placeholder_paths(narrative)
            for path, name in zip(paths, placeholder_names(narrative), strict=True):
                self.placeholder_files[path] = self.cache.path(key, name)
            meta.placeholders[narrative] = Thumb(paths[0], size[0], size[1], paths[1])

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.cache is not None
        for path, cached in sorted(self.placeholder_files.items()):
            files.append(File.generated(config, path, abs_src_path=str(cached)))
        docs = os.path.normpath(config.docs_dir)
        for file in list(files):
            if (file.generated_by is None and file.src_dir is not None and os.path.normpath(file.src_dir) == docs
                    and file.src_uri.lower().endswith(RASTER_SUFFIXES)):
                files.remove(file)  # no original image is ever published as it was
        added: set[str] = set()
        for src, pub in sorted(self.images.items()):
            main = pub.rendition.main
            # The content path stays a known file (MkDocs' link checks pass), but it serves the variant.
            file = File.generated(config, src, abs_src_path=str(self.cache.path(pub.key, main.name)))
            _publish_at(file, pub.site_path(main.name))
            files.append(file)
            added.add(pub.site_path(main.name))
            for variant in pub.rendition.variants:
                path = pub.site_path(variant.name)
                if path not in added:
                    added.add(path)
                    files.append(File.generated(config, path, abs_src_path=str(self.cache.path(pub.key, variant.name))))
        for path, cached in sorted({**self.social_images, **self.share_pictures}.items()):
            files.append(File.generated(config, path, abs_src_path=str(cached)))
        return files

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        def lookup(site_path: str) -> tuple[Rendition, Any] | None:
            src = self.by_site_path.get(site_path)
            if src is None:
                return None
            pub = self.images[src]
            return pub.rendition, lambda name: get_relative_url(pub.site_path(name), page.url)

        return rewrite(html, page.url, lookup, self.options.sizes)

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        data = rc(context)
        entry: Story | Lecture | None = data.get("entry")
        if entry is None:
            return context
        if entry.cover is not None and entry.cover.src in self.images:
            pub = self.images[entry.cover.src]
            data["cover"] = Markup(picture(pub.rendition, lambda name: get_relative_url(pub.site_path(name), page.url),
                                         entry.cover.alt, self.options.sizes, eager=True, priority=True))
        if entry.source in self.social_image_size and isinstance(data.get("meta"), list):
            width, height = self.social_image_size[entry.source]
            data["meta"] += [("property", "og:image:width", str(width)), ("property", "og:image:height", str(height))]
        return context


def _publish_at(file: File, dest_uri: str) -> None:
    file.dest_uri = dest_uri
    file.url = dest_uri
    file.abs_dest_path = os.path.normpath(os.path.join(file.dest_dir, dest_uri))
