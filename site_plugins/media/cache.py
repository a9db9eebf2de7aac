"""The processed-media cache (images, cards, recordings) and the process pool that fills it.

An entry is a folder named by a key: the SHA-256 of the source's bytes and of
the settings (images; recordings also of the ffmpeg version), of everything a
social card shows (cards), or of a transcoded recording and its tags. It holds
the encoded files and a manifest.json, and is written into a temporary folder
first and renamed into place, so a crash or a race never leaves a half-written
entry: an entry that exists is complete. A warm build finds every key and
encodes nothing; a cold build spreads the misses over all cores.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import json
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from site_plugins.media.audio import AudioError, AudioSettings, SourceInfo, inspect
from site_plugins.media.images import ImageError, ImageSettings, render
from site_plugins.media.notice import NoticeSpec, notice_html
from site_plugins.media.social import (
    SocialImageSpec,
    draw_social_image,
    encode_social_image,
    social_image_format,
)
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
    ext = social_image_format(spec)
    image = draw_social_image(spec, fonts)
    name = f"card.{ext}"
    manifest = {"name": name, "width": image.width, "height": image.height}
    Cache(Path(root)).store(key, {name: encode_social_image(image, ext)}, manifest)
    return key, manifest


class Drawing(Protocol):
    """A picture drawn from a spec (the square share image, the poster): pure, picklable for the pool."""

    def render(self, fonts: tuple[str, ...]) -> tuple[str, bytes, tuple[int, int]]:
        """(file name, encoded bytes, (width, height))."""
        ...


def _drawing_task(root: str, key: str, drawing: Drawing, fonts: tuple[str, ...]) -> tuple[str, dict]:
    """Worker: draw one picture into the cache."""
    name, data, (width, height) = drawing.render(fonts)
    manifest = {"name": name, "width": width, "height": height, "bytes": len(data)}
    Cache(Path(root)).store(key, {name: data}, manifest)
    return key, manifest


def _notice_task(root: str, key: str, spec: NoticeSpec, _extra: None) -> tuple[str, dict]:
    """Worker: lay out and render one lecture notice into the cache; the manifest keeps what it cut."""
    from site_plugins.media.pdf import render as render_pdf  # WeasyPrint: imported where it runs

    page, cuts = notice_html(spec)
    data = render_pdf(page)
    manifest = {"name": "notice.pdf", "bytes": len(data), "cuts": [asdict(cut) for cut in cuts]}
    Cache(Path(root)).store(key, {"notice.pdf": data}, manifest)
    return key, manifest


_POOLS: dict[int, Executor] = {}


def _worker_start() -> None:
    """A pool worker ends with the process that started it, however that one ends.

    Ctrl-C reaches the whole terminal group: the worker ignores it rather than print a traceback.
    A worker only waits for tasks, and the pool's queues do not close when their owner is
    killed or exits without shutting the pool down, so a thread ends the worker once the
    parent's sentinel says it is gone.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        sentinel = parent.sentinel

        def watch() -> None:
            multiprocessing.connection.wait([sentinel])
            os._exit(0)

        threading.Thread(target=watch, name="rc-parent-watch", daemon=True).start()


def _close_pools() -> None:
    """Stop the pools' workers. Registered with atexit after multiprocessing's own exit hook, so
    it runs first: that hook joins every child, and a pool worker only leaves once told to, which
    otherwise happens in threading's shutdown, before atexit, but not when a program (such as
    scripts/bench's timed build) runs the exit handlers itself."""
    while _POOLS:
        _POOLS.popitem()[1].shutdown(wait=True, cancel_futures=True)


def _pool(workers: int) -> Executor:
    if workers not in _POOLS:
        if not _POOLS:
            atexit.register(_close_pools)
        # spawn, not fork: MkDocs' live-reload server runs threads, and forking them is unsafe.
        _POOLS[workers] = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                              initializer=_worker_start)
    return _POOLS[workers]


class Runner:
    """Runs tasks inline, or over a process pool kept for the process.

    The pool starts on first need and outlives the build: each worker is a new interpreter
    importing Pillow and fontTools (about a second of CPU), which a build that draws two
    social images paid again every time; `mkdocs serve`'s rebuilds now reuse it.
    """

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers or os.cpu_count() or 1

    def map(self, task: Callable[..., Any], calls: list[tuple[Any, ...]], pool_from: int = 2) -> list[Any]:
        """`task` over `calls`, on the pool if it runs already or if there are `pool_from` calls at
        least (below that, starting the pool's interpreters costs more than it saves)."""
        started = self.workers in _POOLS
        if len(calls) < 2 or self.workers < 2 or (len(calls) < pool_from and not started):
            return [task(*args) for args in calls]
        try:
            return list(_pool(self.workers).map(task, *zip(*calls, strict=True)))
        except BrokenProcessPool:
            _POOLS.pop(self.workers, None)  # a worker died (killed, out of memory): the next map starts anew
            raise

    def close(self) -> None:
        """Nothing to stop: the pool is kept for the next build (it stops when the process exits)."""

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Batch:
    """What a batch produced: by key, a manifest or an error; and how much was encoded."""

    results: dict[str, dict] = field(default_factory=dict)
    errors: dict[str, ImageError | AudioError] = field(default_factory=dict)
    encoded: int = 0
    cached: int = 0


def _fill(cache: Cache, items: Iterable[tuple[str, Any]], task: Callable[..., Any],
          extra: Any, runner: Runner, pool_from: int) -> Batch:
    """Make sure every (key, item) is in the cache; run `task` only for the missing keys."""
    batch = Batch()
    todo: dict[str, tuple[Any, ...]] = {}
    for key, item in items:
        manifest = cache.load(key)
        if manifest is not None:
            batch.results[key] = manifest
        elif key not in todo:
            todo[key] = (str(cache.root), key, item, extra)
    batch.cached = len(batch.results)
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
    return _fill(cache, cards, _social_image_task, fonts, runner, 10)


def process_drawings(cache: Cache, drawings: Iterable[tuple[str, Drawing]], fonts: tuple[str, ...],
                     runner: Runner) -> Batch:
    """Make sure every (key, drawing) is in the cache; draw only the missing ones."""
    # 0.05-0.3 s a drawing (PERFORMANCE.md): from ten on, as the social images
    return _fill(cache, drawings, _drawing_task, fonts, runner, 10)


def process_notices(cache: Cache, notices: Iterable[tuple[str, NoticeSpec]], runner: Runner) -> Batch:
    """Make sure every (key, notice) is in the cache; render only the missing ones."""
    # about 0.4 s a notice (WeasyPrint subsets both 11 MB fonts for each), and a second for a worker
    # to import WeasyPrint: from four on
    return _fill(cache, notices, _notice_task, None, runner, 4)


def process_audio(cache: Cache, sources: Iterable[tuple[str, Path, str]], settings: AudioSettings,
                  runner: Runner, probed: Mapping[str, SourceInfo] | None = None) -> Batch:
    """Make sure every (key, source, name) is transcoded in the cache; work only on the missing ones.

    `probed`: by key, what the check's ffprobe found in a source under the same settings (the
    build's check ran just before), so the source is not probed a second time.
    """
    known = probed or {}
    return _fill(cache, ((key, (str(path), name, known.get(key))) for key, path, name in sources), _audio_task,
                 settings, runner, 2)
