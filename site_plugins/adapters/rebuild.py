"""scripts/build's engine: MkDocs' full build, or only what changed since the last one (`run`).

With the last successful build's state (pipeline/buildcache.py: same key, site/ as that build
left it), `prepare` runs as always (the whole check included) and `changes.plan` compares it with
the last build's: the preview's rule (adapters/live.py) for which pages differ. The staging folder
starts as the current site/ (hard links: every file written below is first unlinked, so site/
itself is never written), loses every output of `finish` and every page that went, and MkDocs'
own page steps render only the planned pages (and the nav's titles), the sitemap, the 404 page if
its view changed, the static files whose source changed. Pages with an anchor another page links
to that changed are rendered again too, so the anchor warnings of a full build come up. The
search index gets every page in the engine's order: those rendered read back from the staging
site, the others by reference (`searching.feed`); its shards are kept in `.cache/build/search/`
(outputs/search/store.py), so only those whose pages changed go through Pagefind again. Then
`on_post_build` runs `finish` as in a full build (feeds, index, /admin/, redirects, `.gz`).

Anything the plan cannot follow, or no usable state: MkDocs' full build, with one Chinese line
saying why. The state for the next build is taken from what this one made (`Recorder`).
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click
from mkdocs.commands import build as mkbuild
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel, get_files, set_exclusions
from mkdocs.structure.nav import get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from site_plugins.deploy.stage import Checked
from site_plugins.pipeline import buildcache, changes
from site_plugins.pipeline.buildcache import PageRecord, State
from site_plugins.pipeline.prepare import prepare
from site_plugins.pipeline.previous import Previous
from site_plugins.pipeline.result import Prepared, PrepareError
from site_plugins.pipeline.searching import feed
from site_plugins.pipeline.views import NOT_FOUND

log = logging.getLogger("mkdocs.plugins.rc-build")


class Recorder(BasePlugin):
    """Added to the build's plugins by `run`: keeps the engine's files once every page is read."""

    def __init__(self) -> None:
        self.files: Files | None = None

    @event_priority(-100)
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.files = files
        return env


@dataclass
class Outcome:
    """What `run` did: the exit code, and the state to keep once the site is swapped in."""

    code: int
    state: State | None = None
    incremental: bool = False
    pages: int = 0  # pages rendered


def run(config_file: Path, staging: Path, site: Path, checked: Checked, cache: Path,
        sources: dict[str, str]) -> Outcome:
    """Build `config_file` into the empty folder `staging` (MkDocs' `build --strict`, its log and
    exit codes), incrementally from `site` where the state in `cache` allows. `sources`: the content's
    digests taken before the check read it."""
    from mkdocs import __main__ as cli

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    logging_state = cli.State()  # the CLI's log format on stderr, INFO
    cli._enable_warnings()
    cwd = Path.cwd()
    os.chdir(config_file.parent)
    try:
        cfg = load_config(config_file=str(config_file), strict=True, site_dir=str(staging))
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            return _run(cfg, config_file, staging, site, checked, cache, sources)
        finally:
            cfg.plugins.on_shutdown()
    except click.ClickException as error:  # Abort, a configuration error: what the CLI prints
        error.show()
        return Outcome(error.exit_code)
    finally:
        os.chdir(cwd)
        logging.getLogger("mkdocs").removeHandler(logging_state.stream)


def _run(cfg: MkDocsConfig, config_file: Path, staging: Path, site: Path, checked: Checked, cache: Path,
         sources: dict[str, str]) -> Outcome:
    docs = Path(cfg.docs_dir)
    search = cfg.plugins.get("rc-search")
    if search is not None:
        search.worker.start()  # its imports and Pagefind's overlap `prepare`
    theme_dirs = [Path(d) for d in cfg.theme.dirs]
    hooks: Any = cfg["hooks"]  # name -> module (MkDocs' annotation says list)
    key = buildcache.key(config_file, theme_dirs, [Path(m.__file__) for m in hooks.values() if m.__file__])
    store = (os.fspath(cache / buildcache.SEARCH), key.encode())  # the index's shards, under the same key
    state, why = buildcache.load(cache, key)
    if state is not None and (not site.is_dir() or buildcache.site_stamps(site) != state.site):
        state, why = None, f"{site.name}/ 与上次构建留下的不一致"
    prepared: Prepared | None = None
    snapshot: changes.Snapshot | None = None
    if checked.content_dir.resolve() == docs.resolve():
        try:
            prepared = prepare(docs, checked.settings, checked.now, site_url=cfg.site_url or "",
                               theme_dirs=theme_dirs, checked=checked.report, say=log.info, on_demand=True)
            snapshot = changes.snapshot(prepared, keyed=True)  # the views' digests taken now, as `prepare` left them
        except PrepareError:
            state, why = None, ""  # the full build reports the problems, as it always does
    plan = None
    if state is not None and prepared is not None and snapshot is not None:
        plan = changes.plan(state.snapshot, snapshot, buildcache.changed(state.sources, sources),
                            lambda: changes.texts(docs, prepared))
        if plan.full:
            why = f"这次的改动需要完整构建（{_reason(plan.full)}）"
    recorder = Recorder()
    if state is None or prepared is None or plan is None or plan.full:
        if why:
            log.info(f"完整构建：{why}。")
        full = load_config(config_file=str(config_file), strict=True, site_dir=str(staging))
        full.plugins["rc-build"] = recorder
        full.plugins["rc-meta"].ready = prepared  # type: ignore[attr-defined]
        if "rc-search" in full.plugins:
            full.plugins["rc-search"].store = store  # type: ignore[attr-defined]
        mkbuild.build(full)
        return Outcome(0, _state(key, full, prepared, sources, recorder.files, None))
    cfg.plugins["rc-build"] = recorder
    if search is not None:
        search.store = store
    rendered = _incremental(cfg, site, staging, prepared, state, plan)
    return Outcome(0, _state(key, cfg, prepared, sources, recorder.files, state), True, len(rendered))


def _reason(full: str) -> str:
    if full == "settings":
        return "mkdocs.yml 的设置变了"
    if full.startswith("not Markdown"):
        return "改动了 Markdown 以外的文件 " + full.split(": ", 1)[-1]
    return "栏目词表或作者表变了" if full.startswith("vocabulary") else full


def _incremental(cfg: MkDocsConfig, site: Path, staging: Path, new: Prepared, state: State,
                 plan: changes.Plan) -> set[str]:
    """MkDocs' build (mkdocs.commands.build.build) for only what `plan` names; the pages rendered."""
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        cfg = cfg.plugins.on_config(cfg)
        cfg.plugins["rc-meta"].ready = new  # type: ignore[attr-defined]
        cfg.plugins.on_pre_build(config=cfg)
        buildcache.start_from(site, staging, state.producers)
        files = get_files(cfg)
        env = cfg.theme.get_env()
        files.add_files_from_theme(env, cfg)
        files = cfg.plugins.on_files(files, config=cfg)
        set_exclusions(files, cfg)
        nav = get_navigation(files, cfg)
        nav = cfg.plugins.on_nav(nav, config=cfg, files=files)
        search = cfg.plugins.get("rc-search")
        streamed = bool(getattr(search, "streamed", False))
        if search is not None:
            search.indexing = False  # the index is fed below, in the engine's order
        doc_files = files.documentation_pages()
        dests = {f.src_uri: f.dest_uri for f in doc_files}
        for gone in {r.dest for src, r in state.pages.items() if dests.get(src) != r.dest} - set(dests.values()):
            buildcache.remove(staging / gone, staging)
        for file in doc_files:
            if file.page is None:
                Page(None, file, cfg)
            assert file.page is not None
            file.page.update_date = new.lastmod(file.src_uri)  # the sitemap's, as on_page_markdown sets it
        render = set(plan.render) | {src for src in dests if src not in state.pages}
        by_src = {f.src_uri: f.page for f in doc_files if f.page is not None}
        populated = _populate([by_src[s] for s in sorted(render) if s in by_src], cfg, files)
        # A page whose anchors changed (or that went or moved): pages linking to one of its anchors are rendered
        # again, so MkDocs validates those links as a full build does.
        moved = {s for s in state.pages if dests.get(s) != state.pages[s].dest}
        changed = moved | {p.file.src_uri for p in populated if p.file.src_uri in state.pages
                           and _anchors(p) != state.pages[p.file.src_uri].anchors}
        linking = {s for s, r in state.pages.items() if s in by_src and s not in render and changed & set(r.links)}
        populated += _populate([by_src[s] for s in sorted(linking)], cfg, files)
        render |= linking
        _populate([p for p in nav.pages if p.markdown is None], cfg, files)  # titles every page's nav shows
        env = cfg.plugins.on_env(env, config=cfg, files=files)
        _copy_statics(files, staging, state)
        for template in cfg.theme.static_templates:
            if template != NOT_FOUND or plan.not_found:
                buildcache.unlink(staging / template)
                buildcache.unlink(staging / (template + ".gz"))
                mkbuild._build_theme_template(template, env, files, cfg, nav)
        for template in cfg.extra_templates:
            buildcache.unlink(staging / template)
            mkbuild._build_extra_template(template, files, cfg, nav)
        for file in doc_files:
            if file.src_uri in render and file.page is not None:
                buildcache.unlink(staging / file.dest_uri)
                mkbuild._build_page(file.page, cfg, doc_files, nav, env, excluded=file.inclusion.is_excluded())
        for page in populated:
            page.validate_anchor_links(files=files, log_level=cfg.validation.links.anchors)
        if search is not None and streamed:
            last = {src: r.search for src, r in state.pages.items() if r.search is not None}
            for src, described in feed(new, staging, [f.src_uri for f in doc_files], render, last):
                search.worker.add(described.item)
                search.described[src] = (described.bare, described.whole)
            search.worker.finish()
        cfg.plugins["rc-meta"].previous = Previous(  # type: ignore[attr-defined]
            site, state.producers, {path: stamp[2] for path, stamp in state.site.items()})
        cfg.plugins.on_post_build(config=cfg)
        if counts := counter.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
        log.info(f"增量构建：重新生成了 {len(render)} 个页面，其余沿用上次构建的结果。")
        return render
    except Exception as error:
        cfg.plugins.on_build_error(error=error)
        if isinstance(error, mkbuild.BuildError):
            log.error(str(error))
            raise Abort("Aborted with a BuildError!") from None
        raise
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)


def _populate(pages: list[Page], cfg: MkDocsConfig, files: Files) -> list[Page]:
    for page in pages:
        mkbuild._populate_page(page, cfg, files)
    return pages


def _anchors(page: Page) -> frozenset[str]:
    return frozenset(page.present_anchor_ids or ())


def _identity(file: File) -> str:
    """What a static file is copied from: a file (theme files are under the cache's key, content's
    are compared by `plan`, media are named by their content), else the bytes a plugin gave."""
    if file.abs_src_path is not None:
        return "path:" + os.path.abspath(file.abs_src_path)
    return "bytes:" + hashlib.sha256(file.content_bytes).hexdigest()


def _statics(files: Files) -> dict[str, str]:
    return {f.dest_uri: _identity(f) for f in files
            if not f.is_documentation_page() and InclusionLevel.is_included(f.inclusion)}


def _copy_statics(files: Files, staging: Path, state: State) -> None:
    """MkDocs' copy of the static files, for those whose source changed; those gone removed."""
    now = _statics(files)
    for dest in state.statics.keys() - now.keys():
        buildcache.remove(staging / dest, staging)
    for file in files:
        if file.dest_uri in now and state.statics.get(file.dest_uri) != now[file.dest_uri]:
            buildcache.unlink(staging / file.dest_uri)
            file.copy_file()


def _state(key: str, cfg: MkDocsConfig, prepared: Prepared | None, sources: dict[str, str], files: Files | None,
           last: State | None) -> State | None:
    """What the next build compares itself with; None where this build gave too little to keep."""
    meta = cfg.plugins["rc-meta"]
    result, manifest = getattr(meta, "result", None), getattr(meta, "manifest", None)
    if prepared is None or result is not prepared or manifest is None or files is None:
        return None
    search = cfg.plugins.get("rc-search")
    described: dict[str, tuple[bytes, bytes]] = getattr(search, "described", {})
    pages: dict[str, PageRecord] = {}
    for file in files.documentation_pages():
        page = file.page
        if page is not None and page.content is not None:
            links = {target.src_uri: frozenset(anchors) for target, anchors in (page.links_to_anchors or {}).items()}
            pages[file.src_uri] = PageRecord(file.dest_uri, _anchors(page), links, described.get(file.src_uri))
        elif last is not None and file.src_uri in last.pages:
            pages[file.src_uri] = replace(last.pages[file.src_uri], search=described.get(file.src_uri))
        else:
            return None
    return State(key, changes.snapshot(result, keyed=True), dict(sources), pages, _statics(files), manifest.producers())

