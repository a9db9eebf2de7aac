"""Feeds read as a feed reader reads them: feedparser, the raw XML, JSON, and the pages' <head>."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from mutagen.mp3 import MP3
from PIL import Image

from site_plugins.content.catalog import edition, load_catalog
from site_plugins.content.dates import parse_when
from site_plugins.content.vocabulary import parse_vocabulary
from site_plugins.outputs.feeds import syndication as feeds
from site_plugins.outputs.feeds.entryhtml import absolutize
from site_plugins.outputs.feeds.model import Channel, Item
from site_plugins.outputs.feeds.podcast import Enclosure
from site_plugins.outputs.feeds.subscribe import alternates, feed_sets
from site_plugins.outputs.pages.seo import SiteInfo

from .audio_helpers import make_recording
from .conftest import BUILD_TIME, REPO, SiteMaker, run_build

pytestmark = pytest.mark.build

SITE_URL = "https://lecture.example.org/"
ATOM = "{http://www.w3.org/2005/Atom}"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
NOW = parse_when(BUILD_TIME)[0]
SITE = SiteInfo("红十字大讲堂", SITE_URL, "描述", "山西省红十字会", SITE_URL, SITE_URL + "logo.png")
VOCAB, _ = parse_vocabulary((REPO / "content" / "narratives.yml").read_text(encoding="utf-8"), "narratives.yml")
URL_ATTRS = ("href", "src", "srcset", "poster")


def feed_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.name in ("feed.xml", "atom.xml", "feed.json", "podcast.xml"))


def parsed(path: Path) -> feedparser.FeedParserDict:
    result = feedparser.parse(path.read_bytes())
    assert result.bozo == 0, (path, result.get("bozo_exception"))
    return result


def ids(path: Path) -> list[str]:
    if path.suffix == ".json":
        return [item["id"] for item in json.loads(path.read_text(encoding="utf-8"))["items"]]
    return [e.id for e in parsed(path).entries]


def head_feeds(site: Path, url: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [(link["type"], link["href"]) for link in soup.find_all("link", rel="alternate") if link.get("type")]


def dead_local_urls(fragment: str, site: Path) -> list[str]:
    """Every URL of the site in an HTML fragment whose file the build did not write."""
    dead = []
    for tag in BeautifulSoup(fragment, "html.parser").find_all(True):
        for attr in URL_ATTRS:
            value = tag.get(attr) or ""
            urls = [c.split()[0] for c in value.split(",") if c.strip()] if attr == "srcset" else [value]
            for url in urls:
                if url.startswith(SITE_URL):
                    path = url.removeprefix(SITE_URL).split("#")[0]
                    if not (site / path / "index.html" if not path or path.endswith("/") else site / path).is_file():
                        dead.append(url)
    return dead


def relative_urls(fragment: str) -> list[str]:
    """Every URL in an HTML fragment that a reader could not resolve without the page's address."""
    bad = []
    for tag in BeautifulSoup(fragment, "html.parser").find_all(True):
        for attr in URL_ATTRS:
            value = tag.get(attr)
            if not value:
                continue
            urls = [c.split()[0] for c in value.split(",") if c.strip()] if attr == "srcset" else [value]
            bad += [u for u in urls if not urlsplit(u).scheme]
    return bad


# --- the core, without MkDocs ------------------------------------------------------------------


def test_absolutize_resolves_every_kind_of_url_and_drops_heading_permalinks() -> None:
    base = SITE_URL + "stories/taiyuan/"
    html = (
        '<h2 id="一">一<a class="headerlink" href="#一" title="Permanent link">#</a></h2>'
        '<p><a href="../other/">其他</a> <a href="#一">本节</a> <a href="mailto:a@b.cn">信</a>'
        ' <a href="https://example.com/x">外链</a> A &amp; B &#8212;</p>'
        '<picture><source type="image/webp" srcset="a-480.webp 480w, a-960.webp 960w">'
        '<img src="a.jpg" alt="图" width="10" height="10" loading="lazy"></picture>'
        '<video poster="/assets/p.jpg" controls><source src="v.mp4"></video><br/>'
        '<!-- 编者注释 -->'
    )
    out = absolutize(html, base)
    assert relative_urls(out) == []
    assert 'href="https://lecture.example.org/stories/other/"' in out
    assert 'href="https://lecture.example.org/stories/taiyuan/#一"' in out
    assert 'srcset="https://lecture.example.org/stories/taiyuan/a-480.webp 480w, ' \
           'https://lecture.example.org/stories/taiyuan/a-960.webp 960w"' in out
    assert 'poster="https://lecture.example.org/assets/p.jpg"' in out
    assert 'href="mailto:a@b.cn"' in out and "A &amp; B &#8212;" in out
    assert "headerlink" not in out and "Permanent link" not in out and "编者注释" not in out
    assert out.startswith('<h2 id="一">一</h2>') and "controls" in out and 'loading="lazy"' in out


def test_enclosure_duration_in_seconds() -> None:
    assert Enclosure("u", 1, "audio/ogg", "01:02:03").seconds == 3723
    assert Enclosure("u", 1, "audio/ogg", "45:10").seconds == 2710
    assert Enclosure("u", 1, "audio/ogg", "").seconds == 0


def _items(count: int) -> list[Item]:
    return [Item(id=f"urn:uuid:00000000-0000-0000-0000-{i:012d}", title=f"第{i}篇", url=f"{SITE_URL}stories/s{i}/",
                 published=NOW - timedelta(days=i), updated=NOW - timedelta(days=i) + timedelta(hours=1),
                 authors=("王丽",), categories=("志愿服务",), summary="摘要", content="<p>正文</p>")
            for i in range(1, count + 1)]


CHANNEL = Channel("红十字大讲堂", "描述", SITE_URL, SITE_URL, "山西省红十字会", SITE_URL + "narratives/")


def test_feed_dates_come_from_the_newest_entry_never_the_clock() -> None:
    items = _items(3)
    rss = ET.fromstring(feeds.rss(CHANNEL, items)).find("channel")
    assert rss.findtext("lastBuildDate") == (NOW - timedelta(days=1, hours=-1)).strftime("%a, %d %b %Y %H:%M:%S +0800")
    assert rss.findtext("generator") == feeds.GENERATOR
    atom = ET.fromstring(feeds.atom(CHANNEL, items))
    assert atom.findtext(f"{ATOM}updated") == (NOW - timedelta(days=1, hours=-1)).isoformat()
    assert feeds.rss(CHANNEL, items) == feeds.rss(CHANNEL, items)  # no clock anywhere
    empty = ET.fromstring(feeds.atom(CHANNEL, []))
    assert empty.findtext(f"{ATOM}updated") == feeds.EPOCH.isoformat()


def test_atom_enclosure_keeps_rel_type_and_length() -> None:
    # feedgen 1.0 writes entry links without rel/type/length; ours must not turn a recording into the permalink
    items = _items(1)
    items[0] = Item(**{**items[0].__dict__, "enclosure": Enclosure("https://cdn.example.org/a.ogg", 10, "audio/ogg", "1:00")})
    entry = ET.fromstring(feeds.atom(CHANNEL, items)).find(f"{ATOM}entry")
    links = [link.attrib for link in entry.findall(f"{ATOM}link")]
    assert links == [{"href": items[0].url, "rel": "alternate", "type": "text/html"},
                     {"href": "https://cdn.example.org/a.ogg", "rel": "enclosure", "type": "audio/ogg", "length": "10"}]
    item = ET.fromstring(feeds.rss(CHANNEL, items)).find("channel/item")
    assert item.findtext("link") == items[0].url
    assert item.find("enclosure").attrib == {"url": "https://cdn.example.org/a.ogg", "length": "10", "type": "audio/ogg"}


def test_entry_order_is_kept_newest_first() -> None:
    items = _items(4)
    assert [e.id for e in feedparser.parse(feeds.rss(CHANNEL, items)).entries] == [i.id for i in items]
    assert [e.id for e in feedparser.parse(feeds.atom(CHANNEL, items)).entries] == [i.id for i in items]


def test_alternates_name_the_specific_feed_first() -> None:
    sets = feed_sets(SITE, VOCAB)

    def hrefs(url: str, entry=None) -> list[str]:  # type: ignore[no-untyped-def]
        return [link["href"].removeprefix(SITE_URL) for link in alternates(url, entry, sets, SITE)]

    site = ["feed.xml", "atom.xml", "feed.json"]
    assert hrefs("") == site
    donor = ["narratives/donor/feed.xml", "narratives/donor/atom.xml", "narratives/donor/feed.json"]
    assert hrefs("narratives/donor/") == [*donor, *site]
    assert hrefs("narratives/donor/page/3/")[0] == "narratives/donor/feed.xml"
    assert hrefs("narratives/") == site
    lectures = ["lectures/feed.xml", "lectures/atom.xml", "lectures/feed.json", "lectures/podcast.xml"]
    assert hrefs("lectures/") == [*lectures, *site, "lectures/calendar.ics"]


# --- the sample site -----------------------------------------------------------------------------

CATALOG, _ = load_catalog(REPO / "content")
assert CATALOG is not None
EDITION = edition(CATALOG, NOW)


def test_every_feed_parses_without_errors(sample_site: Path) -> None:
    files = feed_files(sample_site)
    # site, each narrative and the lectures: RSS + Atom + JSON Feed; the podcast: RSS
    assert len(files) == 3 + 3 * len(CATALOG.vocabulary.narratives) + 3 + 1
    for path in files:
        if path.suffix == ".json":
            continue
        result = parsed(path)
        assert result.version in ("rss20", "atom10"), path
        assert result.feed.title.startswith("红十字大讲堂")


def test_rss_has_the_required_elements(sample_site: Path) -> None:
    for path in sample_site.rglob("feed.xml"):
        root = ET.parse(path).getroot()
        assert root.tag == "rss" and root.get("version") == "2.0"
        channel = root.find("channel")
        for name in ("title", "link", "description", "lastBuildDate", "language"):
            assert channel.findtext(name), (path, name)
        assert channel.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + path.relative_to(sample_site).as_posix()
        for item in channel.findall("item"):
            assert item.findtext("title") and item.findtext("link").startswith(SITE_URL)
            guid = item.find("guid")
            assert guid.get("isPermaLink") == "false" and guid.text.startswith("urn:uuid:")
            assert item.findtext("pubDate").endswith("+0800")
            assert item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")


def test_atom_has_the_required_elements(sample_site: Path) -> None:
    for path in sample_site.rglob("atom.xml"):
        root = ET.parse(path).getroot()
        assert root.tag == f"{ATOM}feed"
        assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}title")
        assert root.findtext(f"{ATOM}updated").endswith("+08:00")
        assert root.find(f"{ATOM}link[@rel='self']").get("href") == SITE_URL + path.relative_to(sample_site).as_posix()
        assert root.find(f"{ATOM}author/{ATOM}name").text  # entries without authors inherit it
        for entry in root.findall(f"{ATOM}entry"):
            assert entry.findtext(f"{ATOM}id").startswith("urn:uuid:") and entry.findtext(f"{ATOM}title")
            assert entry.findtext(f"{ATOM}updated").endswith("+08:00")
            assert entry.findtext(f"{ATOM}published").endswith("+08:00")
            assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(SITE_URL)
            assert entry.find(f"{ATOM}content").get("type") == "html"


def test_json_feed_has_the_required_fields(sample_site: Path) -> None:
    data = json.loads((sample_site / "feed.json").read_text(encoding="utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] and data["feed_url"] == SITE_URL + "feed.json" and data["home_page_url"] == SITE_URL
    assert data["items"]
    for item in data["items"]:
        assert item["id"].startswith("urn:uuid:") and item["url"].startswith(SITE_URL)
        assert item["content_html"] and item["date_published"].endswith("+08:00")
        datetime.fromisoformat(item["date_published"]), datetime.fromisoformat(item["date_modified"])
        assert all(isinstance(tag, str) for tag in item["tags"])
    assert len({item["id"] for item in data["items"]}) == len(data["items"])


def test_entry_counts_match_the_published_content(sample_site: Path) -> None:
    limit = 20
    # newest first by feed date: a story's date, a lecture's announcement
    everything = sorted([*EDITION.stories, *EDITION.lectures], key=lambda e: (e.published, e.id), reverse=True)
    expected_site = [f"urn:uuid:{e.id}" for e in everything[:limit]]
    for name in ("feed.xml", "atom.xml", "feed.json"):
        assert ids(sample_site / name) == expected_site, name
    for narrative in CATALOG.vocabulary.narratives:
        stories = [f"urn:uuid:{s.id}" for s in EDITION.stories if narrative.key in s.tags][:limit]
        for name in ("feed.xml", "atom.xml", "feed.json"):
            assert ids(sample_site / narrative.url / name) == stories, (narrative.key, name)
    lectures = [f"urn:uuid:{lec.id}" for lec in sorted(EDITION.lectures, key=lambda e: e.published, reverse=True)]
    for name in ("feed.xml", "atom.xml", "feed.json"):
        assert lectures and ids(sample_site / "lectures" / name) == lectures[:limit], name


def test_drafts_and_scheduled_stories_never_appear(sample_site: Path) -> None:
    withheld = {reason: entry for entry, reason in EDITION.withheld}
    assert set(withheld) == {"草稿", "定时发布"}  # the sample has one of each
    for path in feed_files(sample_site):
        text = path.read_text(encoding="utf-8")
        for entry in withheld.values():
            assert entry.id not in text and entry.url not in text, (path, entry.source)


def test_no_relative_or_dead_url_in_any_entry(sample_site: Path) -> None:
    contents = 0
    for path in feed_files(sample_site):
        if path.suffix == ".json":
            fragments = [i["content_html"] for i in json.loads(path.read_text(encoding="utf-8"))["items"]]
        else:
            fragments = [c.value for e in parsed(path).entries for c in e.get("content", [])]
        for fragment in fragments:
            contents += 1
            assert relative_urls(fragment) == [], path
            assert dead_local_urls(fragment, sample_site) == [], path
    assert contents > 20
    covers = {i["id"]: i["image"] for i in json.loads((sample_site / "feed.json").read_text("utf-8"))["items"]
              if "image" in i}
    assert covers
    for entry in parsed(sample_site / "feed.xml").entries:
        if entry.id in covers:  # the cover is the reader's card image and opens the content
            assert entry.media_thumbnail[0]["url"] == covers[entry.id]
            assert f'src="{covers[entry.id]}"' in entry.content[0].value
            assert (sample_site / covers[entry.id].removeprefix(SITE_URL)).is_file()
        else:
            assert "media_thumbnail" not in entry


def test_entries_carry_authors_categories_and_summary(sample_site: Path) -> None:
    by_id = {e.id: e for e in parsed(sample_site / "atom.xml").entries}
    for story in EDITION.stories[:20]:
        entry = by_id.get(f"urn:uuid:{story.id}")
        if entry is None:
            continue
        assert entry.title == story.title and entry.link == SITE_URL + story.url
        assert [t.term for t in entry.tags] == [CATALOG.vocabulary[k].label for k in story.tags]
        assert entry.summary == story.summary
        assert [a.name for a in entry.get("authors", [])] == [a.name for a in story.authors]


def test_podcast_feed_carries_the_recordings(sample_site: Path) -> None:
    root = ET.parse(sample_site / "lectures" / "podcast.xml").getroot()
    channel = root.find("channel")
    assert channel.find(f"{ITUNES}category").get("text") and channel.findtext(f"{ITUNES}explicit") == "false"
    recorded = {f"urn:uuid:{lec.id}": lec for lec in EDITION.lectures if lec.recording}
    assert recorded and len(recorded) < len(EDITION.lectures)
    items = channel.findall("item")
    assert {item.findtext("guid") for item in items} == set(recorded)  # only lectures with a recording
    for item in items:
        enclosure = item.find("enclosure")
        assert enclosure.get("url").startswith(SITE_URL + "media/") and enclosure.get("url").endswith(".mp3")
        assert enclosure.get("type") == "audio/mpeg"  # the published file's type, not the source's (Ogg)
        local = sample_site / enclosure.get("url").removeprefix(SITE_URL)
        assert int(enclosure.get("length")) == local.stat().st_size > 0
        seconds = int(item.findtext(f"{ITUNES}duration"))  # whole seconds, from the published file
        assert abs(seconds - MP3(local).info.length) <= 0.5


def test_autodiscovery_on_every_kind_of_page(sample_site: Path) -> None:
    site_feed = ("application/rss+xml", SITE_URL + "feed.xml")
    story = next(s for s in EDITION.stories if len(s.tags) > 1)
    lecture = EDITION.lectures[0]
    narrative = story.tags[0]
    pages = {"": [], f"narratives/{narrative}/": [narrative], story.url: list(story.tags),
             lecture.url: ["lectures"], "lectures/": ["lectures"], "subscribe/": []}
    for url, specific in pages.items():
        links = head_feeds(sample_site, url)
        assert site_feed in links, url
        for key in specific:
            folder = "lectures/" if key == "lectures" else f"narratives/{key}/"
            assert ("application/rss+xml", SITE_URL + folder + "feed.xml") in links, (url, key)
            assert ("application/atom+xml", SITE_URL + folder + "atom.xml") in links, (url, key)
        if specific:
            assert links[0][1] != site_feed[1]  # the most specific feed comes first
        for _mime, href in links:
            assert (sample_site / href.removeprefix(SITE_URL)).is_file(), (url, href)
    assert ("text/calendar", SITE_URL + "lectures/calendar.ics") in head_feeds(sample_site, "lectures/")


def test_no_page_links_a_feed_that_does_not_exist(sample_site: Path) -> None:
    # Every page of the site; /admin/ is the staff's editor app, no page of the site (noindex, no feeds).
    pages = [p for p in sample_site.rglob("*.html") if not p.relative_to(sample_site).as_posix().startswith("admin/")]
    assert len(pages) > 30
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "feed_rss_created.xml" not in text and "feed_rss_updated.xml" not in text, page
        soup = BeautifulSoup(text, "html.parser")
        alternates_ = [link["href"] for link in soup.find_all("link", rel="alternate") if link.get("type")]
        assert SITE_URL + "feed.xml" in alternates_, page
        for href in alternates_:
            assert (sample_site / href.removeprefix(SITE_URL)).is_file(), (page, href)


def test_subscribe_page_lists_every_feed_and_the_calendar(sample_site: Path) -> None:
    """Each address is selectable text with a 复制网址 button that copies it; no feed is a link (item 5)."""
    soup = BeautifulSoup((sample_site / "subscribe" / "index.html").read_text(encoding="utf-8"), "html.parser")
    shown = {li.select_one("code.rc-copy__text").get_text(): li.select_one("button.rc-copy")
             for li in soup.select("article ul.rc-addresses > li")}
    for address, button in shown.items():
        assert button["data-rc-copy"] == address and button["type"] == "button"
        assert button.get_text().startswith("复制网址")
    addresses = [SITE_URL + p.relative_to(sample_site).as_posix() for p in feed_files(sample_site)]
    assert set(addresses) | {SITE_URL + "lectures/calendar.ics", SITE_URL + "subscribe/feeds.opml", SITE_URL} == set(shown)
    links = {a["href"] for a in soup.select("article a[href]")}
    assert not links & set(addresses)
    # what WeChat cannot open (webcal:, the downloads) is marked for it to hide
    hidden = {a["href"] for a in soup.select("article .rc-wx-hide a[href]")}
    assert hidden == {"webcal://lecture.example.org/lectures/calendar.ics", SITE_URL + "lectures/calendar.ics",
                      SITE_URL + "subscribe/feeds.opml"}
    assert {h for h in links if not h.startswith("#")} == hidden
    assert "微信" in soup.select_one("article .rc-wx-only").get_text()
    anchors = {h["id"] for h in soup.select("article :is(h2, h3)[id]")}
    assert {"site", "lectures", "podcast", "calendar", "opml"} | {f"narrative-{n.key}" for n in CATALOG.vocabulary.narratives} <= anchors
    text = soup.get_text()
    for word in ("Inoreader", "Feedly", "NetNewsWire", "Thunderbird", "Google", "Outlook", "iPhone"):
        assert word in text
    headings = [h.get_text(strip=True) for h in soup.find_all(["h2", "h3"])]
    assert all(n.label in "".join(headings) for n in CATALOG.vocabulary.narratives)


# --- synthetic sites -----------------------------------------------------------------------------


def _jpeg(path: Path, color: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), color).save(path, "JPEG")


def small_site(make_site):  # type: ignore[no-untyped-def]
    s = make_site()
    _jpeg(s.content / "stories" / "alpha" / "cover.jpg", (200, 30, 30))
    _jpeg(s.content / "stories" / "alpha" / "inline.jpg", (30, 30, 200))
    s.write("stories/alpha/index.md", """
        ---
        id: 11111111-1111-4111-8111-111111111111
        title: 阿尔法故事
        date: 2026-03-05 10:00
        tags: [志愿服务]
        authors: [wangli]
        cover: cover.jpg
        cover_alt: 封面
        ---

        第一段，[一场讲座](../../lectures/held/index.md)。

        ## 小标题

        ![现场](inline.jpg)
        """)
    s.story("beta", title="贝塔故事", date="2026-04-01", tags="[捐赠, 志愿服务]", extra="updated: 2026-04-20\n")
    s.story("draft-one", title="草稿故事", date="2026-02-01", extra="draft: true\n")
    s.story("future-one", title="定时故事", date="2026-12-20")
    s.lecture("held", title="已举办讲座", date="2026-03-10 14:30",
              extra='recording: {file: recording.ogg, type: audio/ogg, duration: "00:00:04"}\n')
    make_recording(s.content / "lectures" / "held" / "recording.ogg", 4)
    s.lecture("soon", title="即将举行讲座", date="2026-12-10 09:00")
    s.lecture("off", title="取消的讲座", date="2026-05-01 09:00", extra="cancelled: true\n")
    s.lecture("hidden", title="草稿讲座", date="2026-06-01 09:00", extra="draft: true\n")
    return s


@pytest.fixture(scope="module")
def small(make_shared_site) -> SiteMaker:  # type: ignore[no-untyped-def]
    """`small_site`, built once: the tests read it, or change a copy of it."""
    s = small_site(make_shared_site)
    s.build()
    return s


OUTPUTS = ("feed.xml", "atom.xml", "feed.json", "narratives/volunteer/feed.xml", "narratives/volunteer/atom.xml",
           "narratives/donor/atom.xml", "narratives/donor/feed.json", "lectures/feed.xml", "lectures/atom.xml",
           "lectures/feed.json", "lectures/podcast.xml", "lectures/calendar.ics", "lectures/soon/soon.ics",
           "subscribe/feeds.opml")


def test_synthetic_site_holds_exactly_the_published_entries(small: SiteMaker) -> None:
    s = small
    titles = [e.title for e in parsed(s.site / "atom.xml").entries]
    # lectures without `announced` are dated 30 days before they start
    assert titles == ["即将举行讲座", "取消的讲座", "贝塔故事", "阿尔法故事", "已举办讲座"]
    assert [e.title for e in parsed(s.site / "narratives/volunteer/feed.xml").entries] == ["贝塔故事", "阿尔法故事"]
    assert [e.title for e in parsed(s.site / "narratives/donor/atom.xml").entries] == ["贝塔故事"]
    assert [e.title for e in parsed(s.site / "narratives/eldercare/atom.xml").entries] == []
    assert [e.title for e in parsed(s.site / "lectures/atom.xml").entries] == ["即将举行讲座", "取消的讲座", "已举办讲座"]
    assert [e.title for e in parsed(s.site / "lectures/feed.xml").entries] == ["即将举行讲座", "取消的讲座", "已举办讲座"]
    for path in feed_files(s.site):
        text = path.read_text(encoding="utf-8")
        assert "草稿" not in text and "定时故事" not in text, path
    beta = next(e for e in parsed(s.site / "atom.xml").entries if e.title == "贝塔故事")
    assert beta.updated.startswith("2026-04-20") and beta.published.startswith("2026-04-01")
    assert parsed(s.site / "atom.xml").feed.updated == "2026-11-10T09:00:00+08:00"  # the newest entry, not the future
    alpha = next(e for e in parsed(s.site / "feed.xml").entries if e.title == "阿尔法故事")
    body = alpha.content[0].value
    assert relative_urls(body) == [] and dead_local_urls(body, s.site) == []
    assert f'href="{SITE_URL}lectures/held/"' in body
    # the cover opens the content and is the reader's card image; the inline image follows
    images = [img["src"] for img in BeautifulSoup(body, "html.parser").find_all("img")]
    assert len(images) == 2 and images[0] != images[1] and body.index('alt="封面"') < body.index('alt="现场"')
    assert alpha.media_thumbnail[0]["url"] == images[0]
    assert [e.title for e in parsed(s.site / "lectures/podcast.xml").entries] == ["已举办讲座"]
    held = next(e for e in parsed(s.site / "lectures/podcast.xml").entries if e.title == "已举办讲座")
    assert held.link == SITE_URL + "lectures/held/"  # the page; the recording is the enclosure
    (mp3,) = s.site.glob("media/*/held.mp3")
    url, size = SITE_URL + mp3.relative_to(s.site).as_posix(), mp3.stat().st_size
    assert held.enclosures[0]["href"] == url
    assert held.enclosures[0]["length"] == str(size) and held.enclosures[0]["type"] == "audio/mpeg"
    assert held.itunes_duration == "4"
    assert held.published.startswith("Tue, 10 Mar 2026 14:30")  # an episode is dated when it was recorded
    assert f'href="{url}"' in held.content[0].value  # readers without podcast support
    attachment = next(i for i in json.loads((s.site / "feed.json").read_text("utf-8"))["items"]
                      if i["title"] == "已举办讲座")["attachments"][0]
    assert attachment == {"url": url, "mime_type": "audio/mpeg", "size_in_bytes": size, "duration_in_seconds": 4}


def test_two_builds_give_identical_bytes_whatever_the_clock(small: SiteMaker, tmp_path: Path) -> None:
    s = small
    other = tmp_path / "again"
    # A later build time that publishes the same entries must not change a byte.
    run_build(s.config, other, {"SITE_BUILD_TIME": "2026-11-30T23:59:00+08:00"})
    for rel in OUTPUTS:
        assert (s.site / rel).read_bytes() == (other / rel).read_bytes(), rel


def test_renaming_a_file_keeps_the_entry_id(small: SiteMaker, tmp_path: Path) -> None:
    s = small.copy(tmp_path / "site")
    before = {e.title: (e.id, e.link) for e in parsed(s.site / "atom.xml").entries}
    shutil.move(s.content / "stories" / "beta.md", s.content / "stories" / "beta-renamed.md")
    text = (s.content / "stories" / "beta-renamed.md").read_text(encoding="utf-8")
    (s.content / "stories" / "beta-renamed.md").write_text(text.replace("贝塔故事", "贝塔故事（修订）"), "utf-8")
    s.build()
    after = {e.id: (e.title, e.link) for e in parsed(s.site / "atom.xml").entries}
    old_id, old_link = before["贝塔故事"]
    assert old_id.startswith("urn:uuid:")
    assert after[old_id] == ("贝塔故事（修订）", SITE_URL + "stories/beta-renamed/")
    assert old_link != after[old_id][1]


@pytest.mark.parametrize("limit", [1, 2])
def test_entries_per_feed_is_configurable(small: SiteMaker, tmp_path: Path, limit: int) -> None:
    s = small.copy(tmp_path / "site")
    config = s.config.read_text(encoding="utf-8")
    assert "  - rc-feeds:\n" in config
    s.config.write_text(config.replace("  - rc-feeds:\n", f"  - rc-feeds:\n      limit: {limit}\n"), "utf-8")
    s.build()
    assert len(parsed(s.site / "feed.xml").entries) == limit
    assert len(json.loads((s.site / "feed.json").read_text("utf-8"))["items"]) == limit
    assert len(parsed(s.site / "lectures/atom.xml").entries) == limit
    assert f"最新的 {limit} 条" in (s.site / "subscribe" / "index.html").read_text("utf-8")
