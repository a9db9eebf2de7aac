"""MkDocs adapter for images: process every image content uses, publish only the variants.

`on_pre_build` (after rc-meta's, before MkDocs empties site_dir) processes all
images and draws all social cards, so a bad image fails the build while the
previous site is intact. `on_files` drops every original image of content/
and publishes the cached variants instead; `on_page_content` turns Markdown
images into `<picture>`; `on_page_context` hands the template the cover.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.templates import TemplateContext

from site_plugins import urls
from site_plugins.adapters.context import rc
from site_plugins.adapters.meta import MetaPlugin
from site_plugins.content.problems import ContentError, Problem, from_cwd
from site_plugins.content.schema import RASTER_SUFFIXES, Lecture, Story
from site_plugins.media.cache import Cache, Runner, image_key, process_images, process_social_images
from site_plugins.media.images import ImageSettings, Rendition, still_covers
from site_plugins.media.picture import picture, rewrite
from site_plugins.media.placeholder import file_names as placeholder_names
from site_plugins.media.placeholder import fingerprint as placeholder_fingerprint
from site_plugins.media.placeholder import placeholders
from site_plugins.media.placeholder import site_paths as placeholder_paths
from site_plugins.media.social import (
    DEFAULT_FONT,
    SocialImageSpec,
    card_notices,
    card_texts,
    font_chain,
    spec_for,
)
from site_plugins.outputs.listings import Thumb

log = logging.getLogger("mkdocs.plugins.rc-images")


class ImagesConfig(Config):
    cache_dir = opt.Type(str, default=".cache/images")  # relative to mkdocs.yml
    widths = opt.ListOfItems(opt.Type(int), default=[480, 960, 1600])
    webp_quality = opt.Type(int, default=78)
    jpeg_quality = opt.Type(int, default=82)
    thumbnail = opt.ListOfItems(opt.Type(int), default=[480, 320])
    max_megapixels = opt.Type(int, default=60)
    workers = opt.Type(int, default=0)  # 0: all cores
    # Measured in Chromium: the article column is at most ~760 px wide from 48em up, the viewport below.
    sizes = opt.Type(str, default="(min-width: 48em) 760px, 100vw")
    font = opt.Type(str, default="")  # "" = the shipped Noto Sans SC subset
    fallback_fonts = opt.ListOfItems(opt.Type(str), default=[])  # files, relative to mkdocs.yml; never system fonts


@dataclass(frozen=True)
class Published:
    key: str
    rendition: Rendition

    def site_path(self, name: str) -> str:
        return urls.media(self.key, name)


class ImagesPlugin(BasePlugin[ImagesConfig]):
    """Responsive, metadata-free images and 1200x630 social cards."""

    def __init__(self) -> None:
        self.cache: Cache | None = None
        self.settings = ImageSettings()
        self.images: dict[str, Published] = {}  # content path -> its published variants
        self.by_site_path: dict[str, str] = {}  # site path of a main variant -> content path
        self.social_images: dict[str, Path] = {}  # site path of a card -> its file in the cache
        self.social_image_size: dict[str, tuple[int, int]] = {}  # entry source -> card size
        self.encoded = 0  # images encoded by the last build (0 on a warm build)
        self.placeholder_files: dict[str, Path] = {}  # site path -> its WebP file in the cache
        self.config_root = "."  # folder of mkdocs.yml: configured font paths are relative to it

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.settings = ImageSettings(
            widths=tuple(self.config.widths), webp_quality=self.config.webp_quality,
            jpeg_quality=self.config.jpeg_quality, thumb_size=tuple(self.config.thumbnail)[:2],  # type: ignore[arg-type]
            max_pixels=self.config.max_megapixels * 1_000_000,
        )
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.config_root = str(root)
        self.cache = Cache(root / self.config.cache_dir)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        meta: MetaPlugin = config.plugins["rc-meta"]  # type: ignore[assignment]
        assert self.cache is not None and meta.site is not None and meta.catalog is not None
        docs = Path(config.docs_dir)
        uses = meta.catalog.image_uses(meta.entries.values())
        keys = {src: image_key(docs / src, self.settings) for src in sorted(uses)}
        problems: list[Problem] = []
        with Runner(self.config.workers) as runner:
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
        frames = {src: pub.rendition.frames for src, pub in self.images.items()}
        for notice in still_covers(uses, frames):  # scripts/check says the same (editors/check.py)
            log.info("注意：" + notice.shown(from_cwd(config.docs_dir)))
        self._placeholders(meta)
        log.info(f"rc-images: {len(keys)} images ({batch.encoded} encoded, {batch.cached} cached), "
                 f"{len(self.social_images)} social images ({drawn} drawn)")

    def _cards(self, meta: MetaPlugin, runner: Runner) -> int:
        """Draw (or find in the cache) the social card of every story and lecture."""
        assert self.cache is not None and meta.site is not None and meta.catalog is not None
        root = Path(self.config_root)
        try:
            fonts = font_chain(root / self.config.font if self.config.font else DEFAULT_FONT,
                               [root / f for f in self.config.fallback_fonts])
        except FileNotFoundError as exc:
            raise PluginError(f"rc-images: {exc}") from exc
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
        self.social_images = {}
        for source, (key, _spec) in specs.items():
            entry = meta.entries[source]
            manifest = batch.results[key]
            site_path = urls.social_image(entry.kind, entry.slug, manifest["name"].rsplit(".", 1)[1])
            self.social_images[site_path] = self.cache.path(key, manifest["name"])
            self.social_image_size[source] = (manifest["width"], manifest["height"])
            meta.og_images[source] = site_path
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
        for path, cached in sorted(self.social_images.items()):
            files.append(File.generated(config, path, abs_src_path=str(cached)))
        return files

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        def lookup(site_path: str) -> tuple[Rendition, Any] | None:
            src = self.by_site_path.get(site_path)
            if src is None:
                return None
            pub = self.images[src]
            return pub.rendition, lambda name: get_relative_url(pub.site_path(name), page.url)

        return rewrite(html, page.url, lookup, self.config.sizes)

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        data = rc(context)
        entry: Story | Lecture | None = data.get("entry")
        if entry is None:
            return context
        if entry.cover is not None and entry.cover.src in self.images:
            pub = self.images[entry.cover.src]
            data["cover"] = Markup(picture(pub.rendition, lambda name: get_relative_url(pub.site_path(name), page.url),
                                         entry.cover.alt, self.config.sizes, eager=True, priority=True))
        if entry.source in self.social_image_size and isinstance(data.get("meta"), list):
            width, height = self.social_image_size[entry.source]
            data["meta"] += [("property", "og:image:width", str(width)), ("property", "og:image:height", str(height))]
        return context


def _publish_at(file: File, dest_uri: str) -> None:
    file.dest_uri = dest_uri
    file.url = dest_uri
    file.abs_dest_path = os.path.normpath(os.path.join(file.dest_dir, dest_uri))
