"""The media stage of `prepare`: every image content uses, every drawn picture, every lecture notice.

Images are encoded (or found in the content-hash cache) in the process pool; an image the build
cannot publish is reported at each page and field that uses it. Then each entry's 1200x630 social
image, its square share image and 分享海报, the site's square, each narrative's card placeholder
and each lecture's printable notice. Everything is keyed by content, so a warm build draws nothing.
The result is a set of maps (`outputs/published.Published`); entries are never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from site_plugins import urls
from site_plugins.content.catalog import Catalog
from site_plugins.content.problems import Problem
from site_plugins.content.reuse import Derived
from site_plugins.content.schema import Lecture, Story
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.media.cache import (
    Cache,
    image_key,
    process_drawings,
    process_images,
    process_notices,
    process_social_images,
)
from site_plugins.media.images import Rendition, still_covers
from site_plugins.media.notice import Cut, NoticeSpec, notice_cuts
from site_plugins.media.notice import spec_for as notice_spec
from site_plugins.media.pdf import renderer_id
from site_plugins.media.placeholder import file_names as placeholder_names
from site_plugins.media.placeholder import fingerprint as placeholder_fingerprint
from site_plugins.media.placeholder import placeholders
from site_plugins.media.placeholder import site_paths as placeholder_paths
from site_plugins.media.pool import Runner
from site_plugins.media.share import poster_path, share_drawings
from site_plugins.media.sharetext import share_text_notices
from site_plugins.media.social import SocialImageSpec, files_state, spec_for
from site_plugins.outputs.pages.cards import Thumb
from site_plugins.outputs.pages.seo import SiteInfo
from site_plugins.outputs.published import Image
from site_plugins.settings import Settings

Entries = Sequence[Story | Lecture]
Say = Callable[[str], None]  # an info line for the build's log


class MediaProblems(Exception):
    """Media the build cannot publish, at every page and field that uses it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


def publish_images(content: Path, settings: Settings, catalog: Catalog, entries: Entries, site: SiteInfo,
                   emblem: str, say: Say) -> tuple[dict[str, Any], list[Problem]]:
    """(fields of `Published`, notices): every image encoded, every card, share picture and placeholder drawn."""
    options = settings.images
    cache = Cache(settings.path(options.cache_dir))
    uses = catalog.image_uses(entries)
    keys = {src: image_key(content / src, options.render) for src in sorted(uses)}
    fonts = settings.card_fonts
    with Runner(options.workers) as runner:
        batch = process_images(cache, ((k, content / s) for s, k in keys.items()), options.render, runner)
        failed = [Problem(u.page, u.line, u.field, batch.errors[key].message)
                  for src, key in keys.items() if key in batch.errors for u in uses[src]]
        if failed:
            raise MediaProblems(failed)
        images = {src: Image(key, Rendition.from_json(batch.results[key])) for src, key in keys.items()}
        files: dict[str, Path] = {}
        for image in images.values():
            for variant in image.rendition.variants:
                files.setdefault(image.site_path(variant.name), cache.path(image.key, variant.name))
        cards, drawn = _cards(cache, entries, catalog, site, images, fonts, runner, files)
        shared, drawings, squares = _share(cache, entries, catalog, site, images, fonts, emblem, runner, files)
    notices = still_covers(uses, {src: image.rendition.frames for src, image in images.items()})
    notices += [Problem(*n, notice=True) for n in share_text_notices(entries, catalog.vocabulary, fonts)]
    say(f"rc-images: {len(keys)} images ({batch.encoded} encoded, {batch.cached} cached), "
        f"{len(cards['social_images'])} social images ({drawn} drawn), "
        f"{drawings} squares and posters ({shared} drawn)")
    fields: dict[str, Any] = {
        "images": images,
        # A still picture (an animation's first frame) where one picture stands for the page:
        # feeds, podcast artwork, JSON-LD. The page itself shows the animation.
        "image_url": {src: image.site_path(image.rendition.still.name) for src, image in images.items()},
        "thumbnails": {src: _thumb(image) for src, image in images.items()},
        "placeholders": _placeholders(cache, catalog, options.render.thumb_size, files),
        **cards, **squares, "files": files, "served": {src: image.main for src, image in images.items()},
    }
    return fields, notices


def _thumb(image: Image) -> Thumb:
    thumb, double = image.rendition.thumb, image.rendition.thumb2x
    return Thumb(image.site_path(thumb.name), thumb.width, thumb.height, image.site_path(double.name) if double else "")


def _cards(cache: Cache, entries: Entries, catalog: Catalog, site: SiteInfo, images: dict[str, Image],
           fonts: tuple[str, ...], runner: Runner, files: dict[str, Path]) -> tuple[dict[str, Any], int]:
    """Draw (or find in the cache) the social card of every story and lecture."""
    specs: dict[str, tuple[str, SocialImageSpec]] = {}
    state = files_state(fonts)
    for entry in entries:
        cover = images.get(entry.cover.src) if entry.cover else None
        specs[entry.source] = _card(entry, catalog.vocabulary, site.name,
                                    str(cache.path(cover.key, cover.rendition.still.name)) if cover else "",
                                    cover.key if cover else "", fonts, state)
    batch = process_social_images(cache, specs.values(), fonts, runner)
    social: dict[str, str] = {}
    sizes: dict[str, tuple[int, int]] = {}
    for entry in entries:
        key = specs[entry.source][0]
        made = batch.results[key]
        path = urls.social_image(entry.kind, entry.slug, made["name"].rsplit(".", 1)[1])
        files[path] = cache.path(key, made["name"])
        social[entry.source], sizes[entry.source] = path, (made["width"], made["height"])
    return {"social_images": social, "social_sizes": sizes}, batch.encoded


@Derived
def _card(entry: Story | Lecture, vocab: Vocabulary, site_name: str, cover: str, cover_id: str,
          fonts: tuple[str, ...], _state: tuple[str, ...]) -> tuple[str, SocialImageSpec]:
    """An entry's social card (cache key, spec): kept while the entry, its cover and the fonts are unchanged."""
    spec = spec_for(entry, vocab, site_name, cover, cover_id)
    return spec.fingerprint(fonts), spec


def _share(cache: Cache, entries: Entries, catalog: Catalog, site: SiteInfo, images: dict[str, Image],
           fonts: tuple[str, ...], emblem: str, runner: Runner, files: dict[str, Path]
           ) -> tuple[int, int, dict[str, Any]]:
    """Draw (or find in the cache) each entry's square share image and poster, and the site's square."""
    covers = {e.source: (str(cache.path(image.key, image.rendition.main.name)), image.key)
              for e in entries if e.cover and (image := images.get(e.cover.src))}
    drawings = share_drawings(entries, catalog.vocabulary, site.name, site.url, covers, fonts, emblem)
    batch = process_drawings(cache, drawings.values(), fonts, runner)
    files.update({path: cache.path(key, batch.results[key]["name"]) for path, (key, _) in drawings.items()})
    return batch.encoded, len(drawings), {
        "site_square": urls.SITE_SHARE_IMAGE,
        "squares": {e.source: urls.share_image(e.kind, e.slug) for e in entries},
        "posters": {e.source: poster_path(e) for e in entries},
    }


def _placeholders(cache: Cache, catalog: Catalog, size: tuple[int, int], files: dict[str, Path]) -> dict[str, Thumb]:
    """Each narrative's card placeholder: drawn once (ten WebP encodes, about 0.3 s), then from the cache."""
    narratives = tuple((n.key, n.label, n.color) for n in catalog.vocabulary.narratives)
    key = placeholder_fingerprint(narratives, size)
    if cache.load(key) is None:
        drawn = placeholders(narratives, size)
        made = {name: data for k, pair in drawn.items() for name, data in zip(placeholder_names(k), pair, strict=True)}
        cache.store(key, made, {"narratives": sorted(drawn)})
    found: dict[str, Thumb] = {}
    for narrative, _label, _color in narratives:
        paths = placeholder_paths(narrative)
        for path, name in zip(paths, placeholder_names(narrative), strict=True):
            files[path] = cache.path(key, name)
        found[narrative] = Thumb(paths[0], size[0], size[1], paths[1])
    return found


@Derived
def _notice_job(lecture: Lecture, url: str, site_name: str, organiser: str, phone: str, renderer: str
                ) -> tuple[str, NoticeSpec]:
    """A lecture's notice (cache key, spec): kept while the lecture and what else it prints are unchanged."""
    spec = notice_spec(lecture, url, site_name, organiser, phone)
    return spec.key(renderer), spec


def publish_notices(settings: Settings, site: SiteInfo, entries: Entries, say: Say
                    ) -> tuple[dict[str, str], dict[str, Path], list[Problem]]:
    """(lecture source -> its notice's site path, site path -> the PDF, notices of what a notice cut)."""
    options, contact = settings.notice, settings.footer
    cache = Cache(settings.path(options.cache_dir))
    lectures = sorted((e for e in entries if isinstance(e, Lecture)), key=lambda e: e.source)
    renderer = renderer_id()
    jobs: dict[str, tuple[str, NoticeSpec]] = {}
    for lecture in lectures:
        jobs[lecture.source] = _notice_job(lecture, site.absolute(lecture.url), site.name, contact.organiser,
                                           contact.phone, renderer)
    with Runner(options.workers) as runner:
        batch = process_notices(cache, jobs.values(), runner)
    links: dict[str, str] = {}
    files: dict[str, Path] = {}
    cuts: list[Problem] = []
    for lecture in lectures:
        key = jobs[lecture.source][0]
        made = batch.results[key]
        cuts += notice_cuts(lecture, [Cut(**cut) for cut in made["cuts"]])
        links[lecture.source] = urls.lecture_notice(lecture.slug)
        files[links[lecture.source]] = cache.path(key, made["name"])
    say(f"rc-notice: {len(lectures)} lecture notices ({batch.encoded} rendered, {batch.cached} cached)")
    return links, files, cuts
