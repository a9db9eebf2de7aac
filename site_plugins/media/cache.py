"""The processed-media cache (images, cards, recordings), filled over the process pool (media/pool.py).

An entry is a folder named by a key: the SHA-256 of the source's bytes and of
the settings (images; recordings also of the ffmpeg version), of everything a
social card shows (cards), or of a transcoded recording and its tags. It holds
the encoded files and a manifest.json, and is written into a temporary folder
first and renamed into place, so a crash or a race never leaves a half-written
entry: an entry that exists is complete. A warm build finds every key and
encodes nothing; a cold build spreads the misses over all cores.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from site_plugins.media.audio import AudioError, AudioSettings, SourceInfo, inspect
from site_plugins.media.images import ImageError, ImageSettings, render
from site_plugins.media.later import current
from site_plugins.media.notice import NoticeSpec, layout, notice_html
from site_plugins.media.pool import Runner
from site_plugins.media.social import SocialImageSpec, draw_social_image, encode_social_image, planned_card
from site_plugins.media.transcode import Tags, read_back, tag, transcode

MANIFEST = "manifest.json"
_MANIFESTS: dict[str, dict[str, Any]] = {}  # manifest path -> its contents (`Cache.load`)


@functools.lru_cache(maxsize=1 << 17)
def _path(top: str, key: str, name: str) -> Path:
    """A file of an entry: the same Path object for the process (a preview's rebuild asks for 11,000)."""
    return Path(f"{top}/{key[:2]}/{key}/{name}")


class Cache:
    """A folder of complete, immutable entries, one per key."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._top = os.fspath(self.root)  # paths are joined as text: 11,000 of them a rebuild at 3,000 stories

    def folder(self, key: str) -> Path:
        return Path(f"{self._top}/{key[:2]}/{key}")

    def path(self, key: str, name: str) -> Path:
        return _path(self._top, key, name)

    def load(self, key: str) -> dict[str, Any] | None:
        """The manifest of a complete entry, or None. An entry never changes once stored (its key is its
        content), so its manifest is read once a process, while its file is there (the preview's rebuilds)."""
        manifest = f"{self._top}/{key[:2]}/{key}/{MANIFEST}"
        kept = _MANIFESTS.get(manifest)
        if kept is not None and os.path.exists(manifest):
            return kept
        try:
            with open(manifest, encoding="utf-8") as stream:
                found: dict[str, Any] = json.load(stream)
        except (OSError, ValueError):
            return None
        _MANIFESTS[manifest] = found
        return found

    def store(self, key: str, files: dict[str, bytes], manifest: dict[str, Any]) -> None:
        """Write an entry atomically: into a temporary folder, then one rename."""
        final = self.folder(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{key[:16]}.", dir=final.parent))
        try:
            for name, data in files.items():
                (temp / name).write_bytes(data)
            (temp / MANIFEST).write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
            try:
                os.rename(temp, final)
            except OSError:
                if self.load(key) is None:  # not a lost race with an identical entry: a stale folder
                    shutil.rmtree(final, ignore_errors=True)
                    os.rename(temp, final)
        finally:
            shutil.rmtree(temp, ignore_errors=True)


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def image_key(path: Path, settings: ImageSettings) -> str:
    """The cache key of an image: its content and the settings, never its name or date."""
    return hashlib.sha256(f"{file_digest(path)}:{settings.fingerprint()}".encode()).hexdigest()


def _image_task(root: str, key: str, source: str, settings: ImageSettings) -> tuple[str, dict | ImageError]:
    """Worker: render one image into the cache (runs in a pool process)."""
    try:
        rendition, files = render(Path(source), settings)
    except ImageError as exc:
        return key, exc
    manifest = rendition.to_json()
    Cache(Path(root)).store(key, files, manifest)
    return key, manifest


def audio_key(path: Path, settings: AudioSettings, encoder: str) -> str:
    """The cache key of a recording: its content, the settings and the ffmpeg that encodes it."""
    return hashlib.sha256(f"{file_digest(path)}:{settings.fingerprint()}:{encoder}".encode()).hexdigest()


def _audio_task(root: str, key: str, item: tuple[str, str, SourceInfo | None],
                settings: AudioSettings) -> tuple[str, dict | AudioError]:
    """Worker: check one recording (unless the check did) and transcode it into the cache (both loudnorm passes)."""
    source, name, probed = item
    try:
        info = probed or inspect(Path(source), name, settings)
        data, manifest = transcode(Path(source), name, info, settings)
    except AudioError as exc:
        return key, exc
    Cache(Path(root)).store(key, {"audio.mp3": data}, manifest)
    return key, manifest


def tagged(cache: Cache, audio: str, tags: Tags, name: str) -> tuple[str, dict]:
    """The published file: the transcoded audio of entry `audio` with `tags`, cached by both."""
    key = hashlib.sha256(f"{audio}:{tags.fingerprint()}:{name}".encode()).hexdigest()
    manifest = cache.load(key)
    if manifest is None:
        with tempfile.TemporaryDirectory(prefix="rc-tag-") as tmp:
            out = Path(tmp) / name
            tag(cache.path(audio, "audio.mp3"), out, tags)
            seconds, size = read_back(out)  # what a podcast app will read, from the published bytes
            manifest = {**(cache.load(audio) or {}), "name": name, "seconds": seconds, "bytes": size}
            cache.store(key, {name: out.read_bytes()}, manifest)
    return key, manifest


def _social_image_task(root: str, key: str, spec: SocialImageSpec, fonts: tuple[str, ...]) -> tuple[str, dict]:
    """Worker: draw one social card into the cache."""
    manifest = planned_card(spec)
    image = draw_social_image(spec, fonts)
    assert (image.width, image.height) == (manifest["width"], manifest["height"])
    name = manifest["name"]
    Cache(Path(root)).store(key, {name: encode_social_image(image, name.rsplit(".", 1)[1])}, manifest)
    return key, manifest


class Drawing(Protocol):
    """A picture drawn from a spec (the square share image, the poster): pure, picklable for the pool."""

    def planned(self) -> tuple[str, tuple[int, int]]:
        """(file name, (width, height)), known before drawing."""
        ...

    def render(self, fonts: tuple[str, ...]) -> tuple[str, bytes, tuple[int, int]]:
        """(file name, encoded bytes, (width, height)): the planned name and size."""
        ...


def _drawing_task(root: str, key: str, drawing: Drawing, fonts: tuple[str, ...]) -> tuple[str, dict]:
    """Worker: draw one picture into the cache."""
    name, data, (width, height) = drawing.render(fonts)
    manifest = {"name": name, "width": width, "height": height, "bytes": len(data)}
    Cache(Path(root)).store(key, {name: data}, manifest)
    return key, manifest


def _planned(drawing: Drawing) -> dict[str, Any]:
    name, (width, height) = drawing.planned()
    return {"name": name, "width": width, "height": height}


def _notice_task(root: str, key: str, spec: NoticeSpec, _extra: None) -> tuple[str, dict]:
    """Worker: lay out and render one lecture notice into the cache; the manifest keeps what it cut."""
    from site_plugins.media.pdf import render as render_pdf  # WeasyPrint: imported where it runs

    page, _cuts = notice_html(spec)
    data = render_pdf(page)
    manifest = {**_planned_notice(spec), "bytes": len(data)}
    Cache(Path(root)).store(key, {manifest["name"]: data}, manifest)
    return key, manifest


def _planned_notice(spec: NoticeSpec) -> dict[str, Any]:
    """A notice's file name and what its layout cuts (kept for the process), known before it is rendered."""
    return {"name": "notice.pdf", "cuts": [asdict(cut) for cut in layout(spec)[1]]}


@dataclass
class Batch:
    """What a batch produced: by key, a manifest or an error; and how much was encoded."""

    results: dict[str, dict] = field(default_factory=dict)
    errors: dict[str, ImageError | AudioError] = field(default_factory=dict)
    encoded: int = 0
    cached: int = 0


def _fill(cache: Cache, items: Iterable[tuple[str, Any]], task: Callable[..., Any],
          extra: Any, runner: Runner, pool_from: int, plan: Callable[[Any], dict] | None = None) -> Batch:
    """Make sure every (key, item) is in the cache; run `task` only for the missing keys (or, for an
    item with a `plan` inside `drawn_later`, plan its manifest and leave the task for later)."""
    batch = Batch()
    todo: dict[str, tuple[Any, ...]] = {}
    later = current() if plan is not None else None
    planned: dict[str, dict] = {}
    for key, item in items:
        manifest = cache.load(key)
        if manifest is not None:
            batch.results[key] = manifest
        elif later is not None and plan is not None:
            if key not in planned:
                planned[key] = plan(item)
                later.add(task, runner.workers, key, (str(cache.root), key, item, extra),
                          str(cache.path(key, planned[key]["name"])))
        elif key not in todo:
            todo[key] = (str(cache.root), key, item, extra)
    batch.cached = len(batch.results)
    batch.results.update(planned)
    for key, outcome in runner.map(task, list(todo.values()), pool_from):
        if isinstance(outcome, ImageError | AudioError):
            batch.errors[key] = outcome
        else:
            batch.results[key] = outcome
            batch.encoded += 1
    return batch


def process_images(cache: Cache, sources: Iterable[tuple[str, Path]], settings: ImageSettings,
                   runner: Runner) -> Batch:
    """Make sure every (key, source) is in the cache; encode only the missing ones."""
    # about 0.5 s an image: a pool of two pays for its start from three images on
    return _fill(cache, ((key, str(source)) for key, source in sources), _image_task, settings, runner, 3)


def process_social_images(cache: Cache, cards: Iterable[tuple[str, SocialImageSpec]], fonts: tuple[str, ...],
                  runner: Runner) -> Batch:
    """Make sure every (key, card) is in the cache; draw only the missing ones."""
    # about 0.15 s a card: from ten on
    return _fill(cache, cards, _social_image_task, fonts, runner, 10, planned_card)


def process_drawings(cache: Cache, drawings: Iterable[tuple[str, Drawing]], fonts: tuple[str, ...],
                     runner: Runner) -> Batch:
    """Make sure every (key, drawing) is in the cache; draw only the missing ones."""
    # 0.05-0.3 s a drawing (PERFORMANCE.md): from ten on, as the social images
    return _fill(cache, drawings, _drawing_task, fonts, runner, 10, _planned)


def process_notices(cache: Cache, notices: Iterable[tuple[str, NoticeSpec]], runner: Runner) -> Batch:
    """Make sure every (key, notice) is in the cache; render only the missing ones."""
    # about 0.4 s a notice (WeasyPrint subsets both 11 MB fonts for each), and a second for a worker
    # to import WeasyPrint: from four on
    return _fill(cache, notices, _notice_task, None, runner, 4, _planned_notice)


def process_audio(cache: Cache, sources: Iterable[tuple[str, Path, str]], settings: AudioSettings,
                  runner: Runner, probed: Mapping[str, SourceInfo] | None = None) -> Batch:
    """Make sure every (key, source, name) is transcoded in the cache; work only on the missing ones.

    `probed`: by key, what the check's ffprobe found in a source under the same settings (the
    build's check ran just before), so the source is not probed a second time.
    """
    known = probed or {}
    return _fill(cache, ((key, (str(path), name, known.get(key))) for key, path, name in sources), _audio_task,
                 settings, runner, 2)
