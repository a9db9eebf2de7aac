"""The preview's rebuild of only what an edit changes (`mkdocs serve`, scripts/serve).

rc-meta gives MkDocs' live-reload server this builder (`on_serve`). A full build keeps what MkDocs
made of it (the config, the files, the nav, the template environment) and a stamp of every watched
file, taken before the build read them. On a change, `prepare` runs again and `pipeline.changes.plan`
says which pages differ; those are rendered with MkDocs' own page steps, so every plugin's page
events run as in a full build, and then the sitemap, the 404 page and `finish`'s outputs are made
again (feeds, calendars, redirects: written only where their bytes changed). The search index
catches up beside the preview (rc-search). A change the plan cannot follow, or any failure, runs
MkDocs' full build instead: the preview is never left half made.

The pages being viewed come first (adapters/viewed.py): the edited file's page and the pages
browsers asked for lately are rendered, then the browsers reload; the rest of the edit (other
pages, the sitemap, `finish`'s outputs, and the cards, squares, posters and notices it makes again,
whose names and sizes the pages take from their specs: media/later.py) is made in the background
at once, and a request for any of it waits until it is written. The next rebuild starts only after it.

MkDocs' page steps (`_populate_page`, `_build_page`, `_build_theme_template`) are internal to the
MkDocs version pyproject.toml pins; tests/test_live.py compares the result with a full build.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment
from mkdocs.commands import build as mkbuild
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import Navigation, get_navigation
from mkdocs.structure.pages import Page

from site_plugins.adapters import mediafiles
from site_plugins.adapters.viewed import Viewed
from site_plugins.content.tree import one_walk
from site_plugins.media.later import Later, drawn_later
from site_plugins.pipeline import changes
from site_plugins.pipeline.result import Prepared, PrepareError
from site_plugins.pipeline.views import NOT_FOUND

log = logging.getLogger("mkdocs.plugins.rc-meta")


@dataclass
class Made:
    """What MkDocs made of the last build: kept to render single pages again."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Environment
    stamps: dict[str, changes.Stamp]
    theme: list[tuple[str, str | None]] | None = None  # the theme's files (path, folder), once listed


class Live:
    """The preview's builder: a partial rebuild where `changes.plan` allows it, else MkDocs' `full` one."""

    def __init__(self, prepare_again: Callable[[MkDocsConfig], Prepared], result: Callable[[], Prepared | None],
                 use: Callable[[Prepared], None], after: Callable[[MkDocsConfig, Prepared], None]) -> None:
        self.full: Callable[..., None] = lambda config=None: None  # MkDocs' builder (`on_serve`)
        self.prepare_again, self.result, self.use, self.after = prepare_again, result, use, after
        self.made: Made | None = None
        self.watched: list[Path] = []
        self.pending: dict[str, changes.Stamp] = {}
        self.viewed = Viewed()
        self.later: threading.Thread | None = None  # the last edit's rest, rendering in the background
        self.server: Any = None  # MkDocs' live-reload server, asked for a full build if the rest fails

    def serve(self, server: Any) -> None:
        """Build for `server` (on_serve): its requests are recorded and held by `viewed`."""
        self.server = server
        server.builder = self
        self.viewed.gate(server)

    def wait(self) -> None:
        """Until the last edit's background work is done."""
        if self.later is not None:
            self.later.join()
            self.later = None

    def stamp(self, config: MkDocsConfig) -> None:
        """Called before a full build reads anything: what it will have seen of what `mkdocs serve` watches."""
        self.made = None
        gc.unfreeze()  # what the last full build left frozen may be garbage now (pages and files refer to each other)
        self.watched = [Path(config.docs_dir), *(Path(d) for d in config.theme.dirs),
                        *(Path(p) for p in config.watch)]
        if config.config_file_path:
            self.watched.append(Path(config.config_file_path))
        self.pending = changes.stamps(self.watched)

    def built(self, config: MkDocsConfig, files: Files, nav: Navigation, env: Environment) -> None:
        """Called when a full build has ended well."""
        self.made = Made(config, files, nav, env, self.pending)
        # The site held for the partial rebuilds is millions of objects: Python's full collections,
        # which come every few edits, scanned them all (0.4-0.9 s at 3,000 stories). Frozen, they
        # are left out; freed as usual when nothing refers to them.
        gc.collect()
        gc.freeze()

    def close(self) -> None:
        """The preview ends: nothing is left frozen for the rest of the process."""
        self.wait()
        self.made = None
        gc.unfreeze()

    def __call__(self, config: MkDocsConfig | None = None) -> None:
        self.wait()  # a plan starts from a whole site
        made, old = self.made, self.result()
        if config is not None or made is None or old is None:
            return self._full(config)
        # No cyclic collection while the editor waits: one runs a second after the rebuild instead,
        # once the browser has been told to reload (each came in the middle of a rebuild, 0.1-0.9 s).
        gc.disable()
        try:
            return self._partial(made, old)
        finally:
            gc.enable()
            later = threading.Timer(1.0, gc.collect)
            later.daemon = True
            later.start()

    def _partial(self, made: Made, old: Prepared) -> None:
        started = time.perf_counter()
        docs = Path(made.config.docs_dir)
        now, inside, new, later, why = self._prepared(made, docs)
        if new is None:
            return self._full(None, why)  # or problems, which the full build reports as it always does
        plan = changes.plan(old, new, inside, lambda: changes.texts(docs, new))
        if plan.full:
            return self._full(None, plan.full)
        self.use(new)
        try:
            rest, drawn = self._render(made, old, new, plan, inside, later.files)
        except Exception:
            log.warning("预览：局部更新失败，改为完整重建。", exc_info=True)
            return self._full(None)
        made.stamps = now
        log.info(f"预览已更新：{len(plan.render) - len(rest)} 个页面（{time.perf_counter() - started:.2f} 秒）"
                 + (f"，其余 {len(rest)} 个页面随后更新" if rest else "")
                 + (f"，{len(drawn)} 张分享图片随后画好" if drawn else ""))
        self.viewed.hold({p.file.dest_uri for p in rest} | {f.dest_uri for f in drawn}
                         | ({NOT_FOUND} if plan.not_found else set()))
        self.later = threading.Thread(target=self._rest, args=(made, new, plan, rest, later, drawn),
                                      name="rc-preview-rest", daemon=True)
        self.later.start()
        return None

    def _prepared(self, made: Made, docs: Path) -> tuple[dict[str, changes.Stamp], set[str], Prepared | None, Later, str]:
        """The stamps now, the files of content/ edited and `prepare` again (None: why not), with content/
        walked once for the stamps and the check; the pictures the edit redraws are left for later."""
        later = Later()
        with one_walk():
            now = changes.stamps(self.watched, docs)
            paths = changes.edited(made.stamps, now)
            inside = {os.path.relpath(p, docs).replace(os.sep, "/") for p in paths if Path(p).is_relative_to(docs)}
            if len(inside) < len(paths):
                return now, inside, None, later, "a file outside content/ changed"
            try:
                with drawn_later() as later:  # media/later.py
                    return now, inside, self.prepare_again(made.config), later, ""
            except PrepareError:
                return now, inside, None, later, ""

    def _rest(self, made: Made, new: Prepared, plan: changes.Plan, rest: list[Page], later: Later,
              drawn: list[File]) -> None:
        """The background's part of an edit: the pictures (drawn in the media pool meanwhile) and the
        pages not viewed, the sitemap, the 404 page, `after`."""
        config = made.config
        try:
            with ThreadPoolExecutor(1, thread_name_prefix="rc-preview-draw") as pool:
                drawing = pool.submit(later.run)
                _build(rest, made, plan, rest=True)
                drawing.result()
            for file in drawn:
                file.copy_file()
            self.after(config, new)
        except Exception:
            log.warning("预览：局部更新失败，改为完整重建。", exc_info=True)
            self.made = None
            server = self.server
            if server is not None:  # the build loop calls the builder again: a full build (made is None)
                with server._rebuild_cond:
                    server._want_rebuild = True
                    server._rebuild_cond.notify_all()
        finally:
            self.viewed.release()

    def _full(self, config: MkDocsConfig | None, why: str = "") -> None:
        gc.enable()  # a full build makes and drops a whole site: collected as it goes
        if why:
            log.info(f"预览：完整重建（{why}）")
        self.made = None
        self.full(config) if config is not None else self.full()

    def _render(self, made: Made, old: Prepared, new: Prepared, plan: changes.Plan, edited: set[str],
                later: set[str]) -> tuple[list[Page], list[File]]:
        """The files and nav if pages came, went or moved, then the pages viewed; the pages left for
        later, and the media files of pictures not drawn yet (cache files `later`)."""
        config, site = made.config, Path(made.config.site_dir)
        copies: list[File] = []
        if plan.listed:
            before = {f.dest_uri: f for f in made.files}
            made.files, made.nav = _files_and_nav(config, made)
            now = {f.dest_uri for f in made.files}
            for dest in before.keys() - now:
                _remove(site / dest, site)
            copies = [f for f in made.files if not f.is_documentation_page() and _changed(f, before.get(f.dest_uri))]
        elif plan.moved:  # pictures drawn again (a title, a tag): those files swapped, pages and nav as they are
            gone, added = mediafiles.swap(config, made.files, old.published, new.published)
            for dest in gone:
                _remove(site / dest, site)
            copies = added
        drawn = mediafiles.copy(copies, later)
        files, nav = made.files, made.nav
        for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
            if file.page is None:
                Page(None, file, config)
            assert file.page is not None
            file.page.update_date = new.lastmod(file.src_uri)  # the sitemap's, as on_page_markdown sets it
        pages = [f.page for f in (files.get_file_from_path(src) for src in sorted(plan.render))
                 if f is not None and f.page is not None]  # a source missing here is withheld from the build
        viewed = self.viewed.pages()
        first = [p for p in pages if p.file.src_uri in edited or p.file.dest_uri in viewed]
        soon, in_nav, planned = set(map(id, first)), set(map(id, nav.pages)), set(map(id, pages))
        # Read now: the pages rendered now, and every page the nav shows (its title is in each page's nav;
        # a new list has the nav's pages unread).
        for page in [*first, *(p for p in pages if id(p) in in_nav and id(p) not in soon),
                     *(p for p in nav.pages if p.markdown is None and id(p) not in planned)]:
            mkbuild._populate_page(page, config, files)
        _build(first, made, plan)
        return [p for p in pages if id(p) not in soon], drawn


def _build(pages: list[Page], made: Made, plan: changes.Plan, rest: bool = False) -> None:
    """MkDocs' steps writing `pages`; for the `rest` of an edit, its pages read first (the nav's were read
    with the first pages), and the sitemap and (if its view changed) the 404 page written."""
    config, files, nav, env = made.config, made.files, made.nav, made.env
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    if rest:
        in_nav = set(map(id, nav.pages))
        for page in pages:
            if id(page) not in in_nav:
                mkbuild._populate_page(page, config, files)
        for template in config.theme.static_templates:
            if template != NOT_FOUND or plan.not_found:
                mkbuild._build_theme_template(template, env, files, config, nav)
    for page in pages:
        mkbuild._build_page(page, config, doc_files, nav, env)


def _files_and_nav(config: MkDocsConfig, made: Made) -> tuple[Files, Navigation]:
    """The engine's file list and nav made again, as `mkdocs.commands.build.build` makes them."""
    files = get_files(config)
    if made.theme is None:  # the theme's own files: listed once (Material's templates are 14,000 files)
        before = {f.src_uri for f in files}
        files.add_files_from_theme(made.env, config)
        made.theme = [(f.src_uri, f.src_dir) for f in files if f.src_uri not in before]
    else:  # as add_files_from_theme adds them: a content file of the same path wins
        for path, folder in made.theme:
            if folder is not None and files.get_file_from_path(path) is None:
                files.append(File(path, folder, config.site_dir, config.use_directory_urls))
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    # A page at the same address keeps its Page (4,000 made again took 0.15 s): what it was read
    # from is this new file; a page the edit changed is read again anyway (the plan renders it).
    for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
        was = made.files.get_file_from_path(file.src_uri)
        if file.page is None and was is not None and was.page is not None and was.dest_uri == file.dest_uri:
            file.page, was.page.file = was.page, file
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    return files, nav


def _changed(file: Any, before: Any) -> bool:
    if before is None:
        return True
    if file.generated_by is not None and file.abs_src_path is None:
        return bool(file.content_bytes != before.content_bytes)
    return bool(file.abs_src_path != before.abs_src_path)


def _remove(path: Path, top: Path) -> None:
    """`path` deleted, and the folders it leaves empty (a fresh build has none)."""
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
