"""The second pass of a build, after the engine has written the pages: `finish`.

It reads the built site where it needs what a page shows (each entry's rendered body for the
feeds, every page for a search index not built while rendering) and adds the feeds, the podcast,
the OPML list, the calendars, the search index, /admin/, the redirects of `aliases:` and the
`.gz` copies. Every file goes through one `Manifest`: what the engine wrote is claimed first, so
no output of ours can replace a page, nor two of ours each other; then each is written atomically.
Which parts run follows the rc-* plugins mkdocs.yml lists, as in `prepare`.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Container
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_plugins import urls
from site_plugins.cms import admin
from site_plugins.cms import config as cms
from site_plugins.content.tree import hidden
from site_plugins.deploy import redirects
from site_plugins.deploy.gzipcache import GzipCache
from site_plugins.deploy.precompress import LEVEL, Precompressor
from site_plugins.outputs.feeds.subscribe import alternates
from site_plugins.outputs.search.worker import INDEX_CONFIG, SearchError, SearchWorker
from site_plugins.pipeline import syndicate
from site_plugins.pipeline.manifest import Manifest, Output, rewrite
from site_plugins.pipeline.previous import Previous, kept_gz
from site_plugins.pipeline.result import Prepared
from site_plugins.pipeline.searching import from_site, index_files
from site_plugins.settings import Settings

SEARCH = "搜索索引（rc-search）"
ADMIN = "网页编辑器 /admin/（rc-admin）"
REDIRECTS = "旧网址的跳转页（aliases，rc-hosting）"
GZIP = "压缩副本 .gz（rc-hosting）"
REFRESHED = (syndicate.FEEDS, syndicate.OPML, syndicate.CALENDAR, REDIRECTS)  # what `refresh` makes again
Say = Callable[[str], None]


class FinishError(Exception):
    """An output could not be made; the message says why, in Chinese."""


@dataclass(frozen=True)
class Built:
    """The site the engine wrote, and what `finish` takes from the engine besides it."""

    site_dir: Path
    favicon: str = ""  # site path of the theme's favicon (a feed's icon if it is a raster image)
    stylesheets: tuple[str, ...] = ()  # the site's own stylesheets (extra_css): the web editor previews with them
    admin_bundle: admin.Bundle | None = None  # the installed web editor (rc-admin)
    search: SearchWorker | None = None  # a worker that has begun this build's index (None: one of finish's own)
    streamed: bool = False  # ... and has been handed every page as it was rendered
    compressor: Precompressor | None = None  # pages handed over as they were rendered
    manifest: Manifest | None = None  # ... whose `.gz` it has written through this manifest (`precompressor`)
    previous: Previous | None = None  # scripts/build's incremental build: the site it started from


def precompressor(settings: Settings, preview: bool, manifest: Manifest | None = None,
                  site_dir: Path | None = None) -> Precompressor | None:
    """The build's compressor (with the gzip cache of earlier builds), or None: the preview compresses nothing.

    With `manifest` and `site_dir`, each page's `.gz` is written through the manifest as soon as it is
    made, while the engine renders the next pages; `finish` then takes that manifest (`Built.manifest`).
    """
    options = settings.hosting
    if "rc-hosting" not in settings.plugins or not options.precompress or preview:
        return None
    deliver = None
    if manifest is not None and site_dir is not None:
        def deliver(path: str, data: bytes) -> None:
            manifest.put(site_dir, path, GZIP, data)
    return Precompressor(cache=GzipCache(settings.path(options.cache_dir), LEVEL) if options.cache_dir else None,
                         deliver=deliver)


def finish(site: Built, result: Prepared, *, say: Say = lambda line: None, warn: Say = lambda line: None) -> Manifest:
    """Add every output of the build's second pass to the site in `site.site_dir`; the manifest written.

    FinishError (or DuplicateOutput, naming both producers) if an output cannot be made or would take
    the place of another: then nothing of ours is written but the `.gz` of the engine's pages, which
    went out as the pages rendered (`precompressor`).
    """
    manifest = claimed(site.site_dir, site.manifest)
    compressor = site.compressor or precompressor(result.settings, result.preview)
    try:
        if compressor is not None:
            _pages_compressed(manifest, site.site_dir, compressor)
        if result.has("rc-feeds"):
            for path, (data, producer) in syndicate.outputs(site.site_dir, site.favicon, result, say, warn).items():
                manifest.add(path, producer, data)
        if result.has("rc-search"):
            for path, data in _search(site, result, say).items():
                manifest.add(path, SEARCH, data)
        if result.has("rc-admin") and site.admin_bundle is not None:
            _admin(manifest, site, result, say)
        if result.has("rc-hosting"):
            _redirects(manifest, result, say)
        if compressor is not None:
            _compress(manifest, site.site_dir, compressor, say, site.previous)
    finally:
        if compressor is not None:
            compressor.close()
    manifest.write(site.site_dir)
    return manifest


def refresh(site: Built, result: Prepared, previous: Manifest, *, say: Say = lambda line: None,
            warn: Say = lambda line: None) -> Manifest:
    """The preview after an edit rendered only some pages (adapters/live.py): the feeds, calendars and
    redirects made again from `result`, each file written only where its bytes changed, and those
    `previous` had that are no longer made removed. The rest of `previous` stands; the search index
    catches up by itself (rc-search). The manifest of the site as it is now.
    """
    made = Manifest()
    if result.has("rc-feeds"):
        for path, (data, producer) in syndicate.outputs(site.site_dir, site.favicon, result, say, warn).items():
            made.add(path, producer, data)
    if result.has("rc-hosting"):
        ours = {o.path for o in previous if o.producer in REFRESHED}
        redirects_made = Manifest()
        _redirects(redirects_made, result, say, taken=_OnDisk(site.site_dir, ours))
        for output in redirects_made:
            assert output.data is not None
            made.add(output.path, REDIRECTS, output.data)
    kept = Manifest()
    for output in previous:
        if output.producer in REFRESHED and output.path not in made:
            with contextlib.suppress(FileNotFoundError):
                (site.site_dir / output.path).unlink()
        elif output.producer not in REFRESHED:
            kept.keep(output)
    for output in made:
        rewrite(site.site_dir, output)
        kept.keep(output)
    return kept


class _OnDisk:
    """The files of a built site but `ours` (the preview's last redirects, feeds and calendars), by asking the disk."""

    def __init__(self, site_dir: Path, ours: set[str]) -> None:
        self.site_dir, self.ours = site_dir, ours

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and path not in self.ours and (self.site_dir / path).is_file()


def claimed(site_dir: Path, manifest: Manifest | None = None) -> Manifest:
    """`manifest` (a new one if None) holding every file in `site_dir` not already in it as the engine's.
    Hidden ones (.hosting/) never are: engines leave them out, and MkDocs keeps them when it cleans
    site_dir for a build."""
    manifest = manifest if manifest is not None else Manifest()
    top = os.fspath(site_dir)
    for folder, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not hidden(d))
        rel = os.path.relpath(folder, top).replace(os.sep, "/")
        for name in sorted(n for n in names if not hidden(n)):
            path = name if rel == "." else f"{rel}/{name}"
            if path not in manifest:
                manifest.claim(path)
    return manifest


def _search(site: Built, result: Prepared, say: Say) -> dict[str, bytes]:
    """The index's files, from the worker the pages were streamed to, or from the built pages."""
    options = result.settings.search
    worker = site.search or SearchWorker()
    try:
        if site.search is None:
            worker.begin(INDEX_CONFIG, options.shard)
        if not site.streamed:
            for source in from_site(result, site.site_dir):
                worker.add(source)
            worker.finish()
        waiting = time.perf_counter()
        found = worker.result(options.timeout)
        waited = time.perf_counter() - waiting
    except SearchError as exc:
        raise FinishError(f"rc-search: {exc}") from exc
    finally:
        if site.search is None:
            worker.close()
    steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in found.took.items())
    say(f"rc-search: {found.pages} pages indexed ({'streamed' if site.streamed else 'after rendering'}, "
        f"{found.shards} shard{'s' if found.shards != 1 else ''} of at most {options.shard}, "
        f"{found.indexed} through Pagefind); "
        f"waited {waited:.2f} s at the end of the build (the worker, after the last page: {steps})")
    return index_files(found)


def _admin(manifest: Manifest, site: Built, result: Prepared, say: Say) -> None:
    """/admin/: Decap CMS with a configuration made from the schema, this build's vocabulary and authors."""
    bundle = site.admin_bundle
    assert bundle is not None
    options = result.settings.admin
    styles = sorted(p.relative_to(site.site_dir).as_posix()
                    for p in (site.site_dir / urls.ASSETS / "stylesheets").glob("*.min.css"))
    settings: dict[str, Any] = {**cms.preview_settings(),
                                "styles": [urls.relative(p, urls.ADMIN) for p in [*styles, *site.stylesheets]]}
    backend = dict(options.backend)
    config_yml = cms.dump(cms.cms_config(
        result.catalog.vocabulary, result.catalog.authors, site_url=result.site.url, backend=backend,
        editorial_workflow=options.editorial_workflow, local_port=options.local_port))
    files = admin.files(bundle, config_yml, site_name=result.settings.site.name, settings=settings)
    for path, content in files.items():
        if isinstance(content, bytes):
            manifest.add(path, ADMIN, content)
        else:
            manifest.add(path, ADMIN, source=content)
    say(f"rc-admin: /admin/ written (Decap CMS {bundle.version}, {len(files)} files, "
        f"{admin.served_bytes(files) / 1e6:.1f} MB, backend {backend['name']})")


def _redirects(manifest: Manifest, result: Prepared, say: Say, taken: Container[str] | None = None) -> None:
    """A page and two lists for the old addresses (`aliases:`); none where the build has a file
    (one in `manifest`, or in `taken` if given)."""
    items = redirects.redirects(result.entries.values())
    clashes = redirects.clashes(items, manifest if taken is None else taken)
    if clashes:
        raise FinishError("旧网址（aliases）与网站生成的页面重名，未写入跳转页：" + "、".join("/" + c for c in clashes)
                          + "。请在对应文章的 aliases 中删去这些地址。")
    links = alternates("", None, result.feeds, result.site)  # redirect pages name the site feed, as every page does
    for path, data in redirects.outputs(items, result.site.url, result.site.name, links).items():
        manifest.add(path, REDIRECTS, data)
    if items:
        say(f"rc-hosting: {len(items)} old addresses (aliases) redirect to their pages")


def _pages_compressed(manifest: Manifest, site_dir: Path, compressor: Precompressor) -> None:
    """The `.gz` of the pages compressed as they rendered: kept, made again for a page changed since,
    or taken back for a page never written."""
    engine = {o.path: _reader(o, site_dir) for o in manifest if o.written_by_engine}
    fresh, gone = compressor.pages(engine)
    for path, data in fresh.items():
        manifest.redo(path, GZIP, data)
    for path in gone:
        manifest.withdraw(site_dir, path, GZIP)


def _compress(manifest: Manifest, site_dir: Path, compressor: Precompressor, say: Say,
              previous: Previous | None = None) -> None:
    """A `.gz` beside every other text file of the site where it is smaller (the last build's, for an
    engine file unchanged since: `previous`)."""
    pages = len(manifest.by(GZIP))
    kept = kept_gz(manifest, site_dir, previous, GZIP) if previous is not None else {}
    made, seen = compressor.finish({o.path: _reader(o, site_dir) for o in manifest if o.path not in kept})
    for path, data in made.items():
        manifest.add(path, GZIP, data)
    for path, source in kept.items():
        manifest.add(path + ".gz", GZIP, source=source, linked=True)
    pages += len(kept)
    cache = compressor.cache
    reused = f", {cache.hits} from the cache, {cache.save(bool(kept))} unused entries dropped" if cache else ""
    say(f"rc-hosting: {pages + len(made)} gzip files written ({pages + seen} text files{reused})")


def _reader(output: Output, site_dir: Path) -> Callable[[], bytes]:
    if not output.written_by_engine:
        return output.read
    path = os.path.join(site_dir, output.path)  # a string: a Path for each of 25,000 files took 1 s

    def read() -> bytes:
        with open(path, "rb") as stream:
            return stream.read()
    return read


def compress_site(site_dir: Path, workers: int = 0, cache: GzipCache | None = None) -> tuple[int, int]:
    """Write a `.gz` beside each text file of a built site where it is smaller; (written, looked at).

    An existing `.gz` (MkDocs' sitemap.xml.gz) is left as it is.
    """
    manifest = claimed(site_dir)
    with Precompressor(workers, cache) as compressor:
        made, seen = compressor.finish({o.path: _reader(o, site_dir) for o in manifest})
    for path, data in made.items():
        manifest.add(path, GZIP, data)
    manifest.write(site_dir)
    return len(made), seen
