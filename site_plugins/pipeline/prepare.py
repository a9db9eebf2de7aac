"""The first pass of a build, before the engine renders anything: `prepare`.

It runs the very check scripts/check runs (check/checker.run: same verdict, same words), chooses
the edition by the one publication rule, publishes the media (images and drawn pictures, lecture
notices, recordings: pipeline/media.py, pipeline/recordings.py), builds the listings and the feed
sets, generates the pages the core owns and describes every page with its view. Nothing in it
knows the engine: a build fails here, with every problem at its file and line, before the engine
empties its output folder, so the last good site stays in place.

Which parts run follows the rc-* plugins mkdocs.yml lists (`Settings.plugins`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from site_plugins.check.checker import Report, Selection, run
from site_plugins.content.catalog import Catalog, content_tree, edition
from site_plugins.content.dates import zh_date
from site_plugins.content.problems import Problem, from_cwd
from site_plugins.content.schema import Lecture, Story
from site_plugins.content.tree import one_walk
from site_plugins.media.social import forget_files
from site_plugins.outputs.feeds.calendar import reminder_text
from site_plugins.outputs.feeds.subscribe import feed_sets
from site_plugins.outputs.pages.listings import Listings, build_listings
from site_plugins.outputs.pages.seo import SiteInfo
from site_plugins.outputs.pages.subscribepage import subscribe_markdown
from site_plugins.outputs.published import Published
from site_plugins.outputs.search.records import results_page_markdown
from site_plugins.pipeline.media import MediaProblems, publish_images, publish_notices
from site_plugins.pipeline.pages import generated_pages, page_infos, published_sources
from site_plugins.pipeline.recordings import ToolMissing, artwork_of, publish_recordings
from site_plugins.pipeline.result import Prepared, PrepareError, frozen
from site_plugins.pipeline.views import OnDemand, ViewParts, page_views
from site_plugins.settings import Settings

Say = Callable[[str], None]


def prepare(content: Path, settings: Settings, now: datetime, *, preview: bool = False, site_url: str = "",
            theme_dirs: Sequence[Path] = (), checked: Report | None = None, say: Say = lambda line: None,
            on_demand: bool = False) -> Prepared:
    """Check `content`, publish its media and describe every page, as a build at `now` publishes them.

    `preview`: drafts and scheduled entries too (`mkdocs serve`); `site_url` replaces mkdocs.yml's
    (the preview's own address); `theme_dirs`: where the theme's files are (the logo the pictures
    and recordings carry); `checked`: a whole check of `content` at `now` that has just passed
    (scripts/build's), taken instead of checking again; `say`: an info line for the build's log;
    `on_demand`: each page's view made when first asked for (views.OnDemand: scripts/build's).
    PrepareError with every problem if the content cannot be published.
    """
    with one_walk():  # content/ listed once for the check and the pages
        return _prepare(content, settings, now, preview, site_url, theme_dirs, checked, say, on_demand)


def _prepare(content: Path, settings: Settings, now: datetime, preview: bool, site_url: str,
             theme_dirs: Sequence[Path], checked: Report | None, say: Say, on_demand: bool) -> Prepared:
    show = from_cwd(content)

    def notice(problem: Problem) -> None:
        say("注意：" + problem.shown(show))

    forget_files()  # fonts and emblem looked at once a build (a preview may change its theme's logo)
    report = checked or run(content, Selection(), now, settings, preview=preview, building=True)
    if report.problems:
        raise PrepareError(report.problems, notices=report.notices)
    catalog = report.catalog
    assert catalog is not None
    for problem in catalog.notices:  # a fixed value: said, never a failure
        notice(problem)
    chosen = edition(catalog, now, preview=preview)
    for entry, reason in chosen.withheld:
        say(f"未发布（{reason}）: {entry.source}  {zh_date(entry.date)}")
    entries: list[Story | Lecture] = [*chosen.stories, *chosen.lectures]
    site = settings.site_info(site_url)
    fields, notices = _media(content, settings, catalog, entries, site, report, theme_dirs, say)
    for problem in notices:
        notice(problem)
    published = Published(**fields)
    has = settings.plugins.__contains__
    vocab = catalog.vocabulary
    sizes = settings.listings
    listings = build_listings(chosen, vocab, dict(published.thumbnails), sizes.page_size, sizes.related, sizes.home,
                              dict(published.placeholders), settings.images.sizes) if has("rc-listings") else Listings()
    feeds = tuple(feed_sets(site, vocab, rights=settings.site.copyright)) if has("rc-feeds") else ()
    tree = content_tree(content)
    subscribe = subscribe_markdown(site, feeds, settings.feeds.limit, reminder_text(settings.feeds.reminder)) \
        if has("rc-feeds") else None
    if subscribe is not None and "subscribe.md" in tree:
        say("content/subscribe.md exists; it replaces the generated /subscribe/ page.")
    withheld = frozenset(entry.source for entry, _ in chosen.withheld)
    pages = generated_pages(tree, listings.pages, subscribe, results_page_markdown() if has("rc-search") else None)
    infos = page_infos(catalog, chosen, published_sources(tree, set(withheld)), pages, dict(settings.nav))
    by_source = {e.source: e for e in entries}
    listing_at = {listing.src_uri: listing for listing in listings.pages}
    parts = ViewParts(published, listings, listing_at, feeds, now, vocab, has("rc-search"))
    views: Mapping[str, Any] = OnDemand(infos, by_source, settings, site, parts) if on_demand else \
        frozen(page_views(infos, by_source, settings, site, parts))
    return Prepared(settings, site, preview, report, catalog, chosen, published, listings, frozen(listing_at),
                    feeds, frozen(pages),
                    frozen(infos), views, withheld, tuple(sorted({*catalog.notices, *notices})), frozen(by_source),
                    max((e.modified for e in entries), default=None))


def _media(content: Path, settings: Settings, catalog: Catalog, entries: list[Story | Lecture], site: SiteInfo,
           report: Report, theme_dirs: Sequence[Path], say: Say) -> tuple[dict[str, Any], list[Problem]]:
    """The fields of `Published` and the notices of the media the build's plugins publish."""
    has = settings.plugins.__contains__
    logos = [Path(folder) / settings.meta.logo for folder in theme_dirs]
    fields: dict[str, Any] = {"files": {}, "served": {}}
    notices: list[Problem] = []
    try:
        if has("rc-images"):
            # The emblem posters and square images show: the theme's logo, if it is a PNG.
            emblem = next((str(p) for p in logos if p.suffix == ".png" and p.is_file()), "")
            found, notices = publish_images(content, settings, catalog, entries, site, emblem, say)
            fields.update(found)
        if has("rc-notice"):
            fields["notices"], files, cuts = publish_notices(settings, site, entries, say)
            fields["files"] = {**fields["files"], **files}
            notices += cuts
        if has("rc-audio"):
            made = publish_recordings(content, settings, entries, report.recordings,
                                      artwork_of(fields.get("images", {}), fields["files"], logos), say)
            fields.update(audio=made.audio, files={**fields["files"], **made.files},
                          served={**fields["served"], **made.served})
            notices += made.notices
    except MediaProblems as exc:
        raise PrepareError(exc.problems) from None
    except ToolMissing as exc:
        raise PrepareError(message=str(exc)) from None
    return fields, notices
