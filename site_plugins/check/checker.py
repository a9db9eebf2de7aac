"""`scripts/check`: validate content without building, and list what is scheduled.

`run` is the whole check: `load_catalog` (schema, images of every page,
consent, duplicates), the header of every published image and the
internal-link check of `links.py`, all under the limits of the site's settings
(settings.py, from mkdocs.yml). `mkdocs build` calls the same `run` (rc-meta) with the
same settings, so check and build give the same verdict and message. Problems are printed with
paths relative to the editor's current folder, so an editor (or a terminal)
can jump to `content/stories/x.md:4`. Imports nothing of MkDocs or jieba: it
runs on every commit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from site_plugins import urls
from site_plugins.check.links import Site, Status, check_links, read_page, status
from site_plugins.check.renames import slug_changes
from site_plugins.content.catalog import (
    AUTHORS_FILE,
    VOCABULARY_FILE,
    Catalog,
    Edition,
    content_tree,
    edition,
    load_catalog,
)
from site_plugins.content.dates import zh_date
from site_plugins.content.problems import Problem, from_cwd, ref
from site_plugins.content.reuse import valued
from site_plugins.content.schema import Lecture, Story, withheld_reason
from site_plugins.content.transcripts import cues_beyond
from site_plugins.content.tree import one_walk
from site_plugins.media.audio import (
    AudioError,
    AudioSettings,
    SourceInfo,
    duration_verdict,
    inspect,
    outside,
    seconds_of,
)
from site_plugins.media.images import ImageSettings, probe, still_covers
from site_plugins.settings import Settings

# Files the build reads itself and does not publish.
NOT_PUBLISHED = frozenset({VOCABULARY_FILE, AUTHORS_FILE})


@dataclass
class Selection:
    """Which files to check: `pages` None means all of content/."""

    pages: list[str] | None = None  # Markdown files inside content/, POSIX
    skipped: list[Path] = field(default_factory=list)  # outside content/
    missing: list[Path] = field(default_factory=list)


@dataclass
class Report:
    """Every problem found, and what was checked."""

    problems: list[Problem]
    catalog: Catalog | None
    checked: int
    whole: bool  # the whole of content/ was checked
    notices: list[Problem] = field(default_factory=list)  # worth knowing, not wrong: the check passes
    # What ffprobe found in each recording checked, by content path: the build transcodes from it
    # instead of probing the file again.
    recordings: dict[str, SourceInfo] = field(default_factory=dict)

    @property
    def files(self) -> int:
        return len({p.path for p in self.problems})


def select(content_dir: Path, paths: Sequence[Path]) -> Selection:
    """Turn command-line paths into a selection; anything but Markdown widens it to all.

    A change to the vocabulary, the authors or an image can break any page,
    so such a path makes the check cover the whole folder.
    """
    if not paths:
        return Selection()
    root = content_dir.resolve()
    chosen: list[str] = []
    selection = Selection(pages=chosen)
    whole = False
    for given in paths:
        if not given.exists():
            selection.missing.append(given)
            continue
        path = given.resolve()
        if path != root and root not in path.parents:
            selection.skipped.append(given)
            continue
        files = sorted(path.rglob("*.md")) if path.is_dir() else [path]
        if path == root or not (path.is_dir() or path.suffix == ".md"):
            whole = True
        chosen += [f.relative_to(root).as_posix() for f in files]
    if whole:
        selection.pages = None
    return selection


def statuses(catalog: Catalog, now: datetime) -> dict[str, Status]:
    """Entries not on the public site at `now` (the one publication rule), by source."""
    return {e.source: st for e in [*catalog.stories, *catalog.lectures] if (st := status(e, now)) is not None}


def run(content_dir: Path, selection: Selection, now: datetime, settings: Settings, preview: bool = False,
        building: bool = False) -> Report:
    """Check the selection: schema, tags, images, consent, duplicates and internal links.

    `mkdocs build` runs this too (rc-meta), so both report the same problems in
    the same words (`building`: without the git-based rename notices, which are
    for editors); a preview publishes drafts, so links to them are fine there.
    `settings` give the limits (image size, recording length) and the listing pages that exist.
    """
    with one_walk():  # content/ listed once for the whole check
        return _run(content_dir, selection, now, settings, preview, building)


def _run(content_dir: Path, selection: Selection, now: datetime, settings: Settings, preview: bool,
         building: bool) -> Report:
    only = None if selection.pages is None else [content_dir / p for p in selection.pages]
    catalog, problems = load_catalog(content_dir, only=only)
    files = content_tree(content_dir)
    wanted = sorted(f for f in files if f.endswith(".md")) if selection.pages is None else selection.pages
    if catalog is not None:
        pages = {p: page for p in sorted(f for f in files if f.endswith(".md"))
                 if (page := read_page(content_dir / p, p)) is not None}
        published = edition(catalog, now, preview)
        found, stills = _image_headers(content_dir, catalog, published, selection.pages, settings.images.render)
        problems += found
        stories = published.stories
        listing_pages = urls.listing_pages(
            {n.key: sum(1 for s in stories if n.key in s.tags) for n in catalog.vocabulary.narratives},
            len(stories), {s.date.year for s in stories},
            sum(1 for lec in published.lectures if not lec.is_upcoming(published.now)), settings.listings.page_size)
        site = Site(
            files=files - NOT_PUBLISHED, pages=pages,
            generated={urls.source(u) for u in listing_pages} | urls.GENERATED_SOURCES,
            urls={e.url: e.source for e in [*catalog.stories, *catalog.lectures]},
            unpublished={} if preview else statuses(catalog, now),
        )
        problems += check_links(site, wanted)
    notices: list[Problem] = []
    recordings: dict[str, SourceInfo] = {}
    if catalog is not None:
        chosen = [lec for lec in catalog.lectures if selection.pages is None or lec.source in selection.pages]
        found, notices, recordings = check_recordings(content_dir, chosen, settings.audio.render)
        problems += found
        chosen_pages = None if selection.pages is None else set(selection.pages)
        if not building:  # addresses that moved since the last commit (git): the aliases line to add
            notices += slug_changes(content_dir, [*catalog.stories, *catalog.lectures], chosen_pages)
        notices += catalog.notices  # values the build fixes or derives, reported alike
        notices += stills  # the build says the same of the animations it publishes (adapters/images.py)
        # The build reports the same: characters its social images leave out (in the configured fonts).
        from site_plugins.media.sharetext import share_text_notices

        carded = [e for e in [*catalog.stories, *catalog.lectures] if chosen_pages is None or e.source in chosen_pages]
        notices += [Problem(*n, notice=True) for n in share_text_notices(carded, catalog.vocabulary,
                                                                         settings.card_fonts)]
        # ... and what its printable lecture notices cut (media/notice.py lays them out without rendering).
        notices += [n for e in carded if isinstance(e, Lecture) for n in _notice_cuts(e)]
    return Report(sorted(set(problems)), catalog, len(wanted), selection.pages is None, sorted(notices), recordings)


def _notice_cuts(lecture: Lecture) -> list[Problem]:
    """What the lecture's printable notice leaves out: its layout's cuts kept by scripts/build by the notice's
    spec (reuse.valued; 600 layouts took 1.5 s at 3,000 stories)."""
    from site_plugins.media.notice import layout, notice_cuts, spec_for

    spec = spec_for(lecture)
    return notice_cuts(lecture, valued("notice cuts", spec, lambda: layout(spec)[1]))


def check_recordings(content_dir: Path, lectures: Sequence[Lecture], settings: AudioSettings
                     ) -> tuple[list[Problem], list[Problem], dict[str, SourceInfo]]:
    """(problems, notices, what ffprobe found by file) of each lecture's recording, as the build judges them.

    The build applies the same rules (media/audio.py) and transcodes from the `SourceInfo` found
    here (one ffprobe a recording); it compares the stated duration with the published MP3, which
    is within a few hundredths of a second of the source.
    """
    problems: list[Problem] = []
    notices: list[Problem] = []
    probed: dict[str, SourceInfo | AudioError] = {}  # a recording two lectures share is probed once
    for lec in lectures:
        rec = lec.recording
        if rec is None:
            continue
        if not rec.file:  # hosted elsewhere: its stated duration is the length
            problems += cues_beyond(lec, float(seconds_of(rec.duration) or 0))
            continue
        if rec.file not in probed:
            try:
                error = outside(content_dir, rec.file)
                if error is not None:
                    raise error
                probed[rec.file] = inspect(content_dir / rec.file, ref(rec.file), settings)
            except AudioError as exc:
                probed[rec.file] = exc
        info = probed[rec.file]
        if isinstance(info, AudioError):
            problems.append(Problem(lec.source, lec.recording_line, "recording", info.message))
            continue
        problems += cues_beyond(lec, info.seconds)  # the build applies it to the published file
        verdict = duration_verdict(rec.duration, info.seconds)
        if verdict is not None:
            line = lec.lines.get("recording.duration", lec.recording_line)
            judged = Problem(lec.source, line, "recording", verdict[1], notice=verdict[0] == "notice")
            (notices if judged.notice else problems).append(judged)
    return problems, notices, {src: info for src, info in probed.items() if isinstance(info, SourceInfo)}


def _image_headers(content_dir: Path, catalog: Catalog, published: Edition, pages: list[str] | None,
                   settings: ImageSettings) -> tuple[list[Problem], list[Problem]]:
    """Images the build would refuse on opening (unreadable, unsupported, too large, too long an animation),
    without decoding; and the notices of animated covers (still on cards), as the build gives them."""
    found: list[Problem] = []
    frames: dict[str, int] = {}
    uses = catalog.image_uses([*published.stories, *published.lectures])
    for src, used in uses.items():
        error, frames[src] = probe(content_dir / src, settings)
        if error is not None:
            found += [Problem(u.page, u.line, u.field, error.message) for u in used if pages is None or u.page in pages]
    stills = [n for n in still_covers(uses, frames) if pages is None or n.path in pages]
    return found, stills


def display_path(path: str, content_dir: Path, cwd: Path) -> str:
    """A content/ path as the editor's shell sees it, e.g. content/stories/x.md."""
    return Path(os.path.relpath(content_dir / path, cwd)).as_posix()


def format_problem(problem: Problem, content_dir: Path, cwd: Path, github: bool = False,
                   level: str = "error") -> str:
    """`path:line: field: message`, or a GitHub Actions annotation (`level` error or warning)."""
    show = from_cwd(content_dir, cwd)
    path = show(problem.path)
    if github:
        message = problem.text(show).replace("%", "%25").replace("\r", "").replace("\n", "%0A")
        return f"::{level} file={path},line={problem.line},title={problem.field}::{message}"
    return problem.shown(show)


def summary(report: Report) -> str:
    """One Chinese line saying how the check went."""
    verdict = _verdict(report)
    return verdict + (f"另有 {len(report.notices)} 条“注意”，见上方。" if report.notices else "")


def _verdict(report: Report) -> str:
    if report.problems:
        return (f"发现 {len(report.problems)} 个问题（{report.files} 个文件）。"
                "请按每行的提示修改，再运行 scripts/check。")
    if not report.whole:
        return f"检查通过：{report.checked} 个文件，没有发现问题。"
    catalog = report.catalog
    assert catalog is not None
    pages = report.checked - len(catalog.stories) - len(catalog.lectures)
    return (f"检查通过：{len(catalog.stories)} 篇故事、{len(catalog.lectures)} 场讲座、"
            f"{pages} 个其他页面，没有发现问题。")


def when(dt: datetime) -> str:
    """2027年1月15日 08:00"""
    return f"{zh_date(dt)} {dt:%H:%M}"


def schedule(catalog: Catalog, now: datetime, show: Callable[[str], str] = str) -> list[str]:
    """Lines listing scheduled stories (soonest first) and drafts, for `scripts/check --schedule`."""
    entries: list[Story | Lecture] = [*catalog.stories, *catalog.lectures]
    scheduled = sorted((e for e in entries if withheld_reason(e, now) == "定时发布"), key=lambda e: (e.date, e.source))
    drafts = sorted((e for e in entries if e.draft), key=lambda e: e.source)
    lines = [f"现在是 {when(now)}（北京时间）。"]
    if scheduled:
        lines.append(f"定时发布（{len(scheduled)} 篇，到时间后的第一次构建时上线）：")
        lines += [f"  {when(e.date)} 起  {show(e.source)}  {e.title}" for e in scheduled]
    else:
        lines.append("没有定时发布的故事。")
    if drafts:
        lines.append(f"草稿（{len(drafts)} 篇，不会发布；删去 draft: true 这一行后才会上线）：")
        lines += [f"  {show(e.source)}  {e.title}" for e in drafts]
    return lines
