"""Which feeds the site has, which entries each holds and which pages name them.

Feeds: the whole site (stories and lectures), each narrative (its stories, as
its index lists them) and the lectures, each as RSS, Atom and JSON Feed with
the same entries; the podcast (lectures with a recording); the lecture
calendar; and an OPML list of all feeds (the page /subscribe/ that offers them
is `subscribepage`). Pure data and text: the MkDocs adapter only writes what
this module describes.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass

from site_plugins import urls
from site_plugins.content.schema import Entry, Lecture
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.outputs.feeds.model import Channel
from site_plugins.outputs.feeds.syndication import FILES, ICS_MIME, MIMES
from site_plugins.outputs.pages.seo import SiteInfo

CALENDAR_PATH = urls.CALENDAR
OPML_PATH = urls.OPML
ALL_FORMATS = ("rss", "atom", "json")
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed", "podcast": "播客 RSS"}


@dataclass(frozen=True)
class FeedSet:
    """One feed in its formats: `site`, `narrative:<key>`, `lectures` or `podcast`."""

    key: str
    path: str  # site folder of the files: "", "narratives/<key>/" or "lectures/"
    channel: Channel
    formats: tuple[str, ...]

    def holds(self, entry: Entry, recorded: Container[str] = ()) -> bool:
        """Whether the entry belongs in this feed (before the date filter and the limit); `recorded`:
        the sources of lectures with a published recording."""
        if self.key == "site":
            return True
        if self.key == "lectures":
            return entry.kind == "lecture"
        if self.key == "podcast":  # an episode must have something to play: the published recording
            return isinstance(entry, Lecture) and entry.source in recorded
        # A narrative's feed mirrors its index page, which lists stories.
        return entry.kind == "story" and self.key.removeprefix("narrative:") in entry.tags

    def file(self, fmt: str) -> str:
        """Site path of the feed file, e.g. narratives/volunteer/atom.xml."""
        return self.path + FILES[fmt]


def feed_sets(site: SiteInfo, vocab: Vocabulary, logo: str | None = None, icon: str | None = None,
              rights: str = "") -> list[FeedSet]:
    """Every feed of the site: whole site first, then each narrative, the lectures, the podcast."""

    def channel(title: str, description: str, path: str) -> Channel:
        return Channel(title=title, description=description or title, home=site.absolute(path),
                       folder=site.absolute(path), publisher=site.publisher,
                       categories_url=site.absolute(urls.NARRATIVES), logo=logo, icon=icon, rights=rights)

    sets = [FeedSet("site", "", channel(site.name, site.description, ""), ALL_FORMATS)]
    for n in vocab.narratives:
        sets.append(FeedSet(f"narrative:{n.key}", n.url, channel(f"{site.name} · {n.label}", n.description, n.url),
                            ALL_FORMATS))
    lectures = channel(f"{site.name} · 讲座", f"{site.name}的讲座预告与讲座记录。", urls.LECTURES)
    sets.append(FeedSet("lectures", urls.LECTURES, lectures, ALL_FORMATS))
    recordings = channel(f"{site.name} · 讲座录音", f"{site.name}的讲座录音，附文字稿。", urls.LECTURES)
    sets.append(FeedSet("podcast", urls.LECTURES, recordings, ("podcast",)))
    return sets


def _links(feed: FeedSet) -> list[dict[str, str]]:
    return [{"mime": MIMES[fmt], "title": f"{feed.channel.title}（{FORMAT_NAMES[fmt]}）",
             "href": feed.channel.url(fmt)} for fmt in feed.formats]


def alternates(page_url: str, entry: Entry | None, sets: Iterable[FeedSet], site: SiteInfo,
               calendar_name: str = "讲座日历") -> list[dict[str, str]]:
    """The <link rel="alternate"> of a page, most specific first (readers often take the first).

    Narrative indexes (and their later pages) and stories name their narratives'
    feeds; lecture pages and /lectures/ name the lectures feed and the calendar;
    every page names the site feed.
    """
    by_key = {s.key: s for s in sets}
    keys: list[str] = []
    narrative = urls.listing_narrative(page_url)
    if narrative:
        keys.append(f"narrative:{narrative}")
    if entry is not None and entry.kind == "story":
        keys += [f"narrative:{tag}" for tag in entry.tags]
    lectures = (entry is not None and entry.kind == "lecture") or page_url.startswith(urls.LECTURES)
    if lectures:
        keys += ["lectures", "podcast"]
    links: list[dict[str, str]] = []
    for key in [*keys, "site"]:
        if key in by_key and not any(link["href"] == by_key[key].channel.url(by_key[key].formats[0]) for link in links):
            links += _links(by_key[key])
    if lectures:
        links.append({"mime": ICS_MIME, "title": calendar_name, "href": site.absolute(CALENDAR_PATH)})
    return links


def webcal(url: str) -> str:
    """The webcal:// form of a calendar URL: phones and Outlook open it as a subscription."""
    return "webcal://" + url.split("://", 1)[1]
