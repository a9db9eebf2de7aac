"""Markup in front matter never runs: every text field of a story and a lecture holds HTML,
quotes, & and </script>; the built site has exactly the elements and attributes of a clean
build, and the text displays as written (page, <title>, header, meta, search, feeds)."""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from .image_helpers import save_phone_photo

pytestmark = pytest.mark.build

TITLE = "《红十字会法》<修订版> & 志愿者"
PAYLOAD = ("<b>粗</b> \"双引号\" '单引号' & &amp; </h1></title></script><script>alert(1)</script>"
           "<img src=x onerror=alert(1)> <!-- -->")
CLEAN = "安全的文字"


class Shape(HTMLParser):
    """Counts start tags and attribute names: an injection adds at least one of either."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.count: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.count[f"<{tag}>"] += 1
        self.count.update(f"{tag}@{name}" for name, _ in attrs)


def shape(markup: str) -> Counter[str]:
    parser = Shape()
    parser.feed(markup)
    parser.close()
    return parser.count


def site_shape(site: Path) -> dict[str, Counter[str]]:
    """Element and attribute counts of every HTML page, feed, search entry and sitemap."""
    out: dict[str, Counter[str]] = {}
    for file in sorted(site.rglob("*")):
        rel = file.relative_to(site).as_posix()
        if file.suffix == ".html":
            out[rel] = shape(file.read_text(encoding="utf-8"))
        elif file.suffix == ".xml":
            tree = ET.parse(file)
            count: Counter[str] = Counter(el.tag for el in tree.iter())
            for el in tree.iter():  # HTML carried inside the feed, as a reader takes it
                local = el.tag.rsplit("}", 1)[-1]
                if local in ("description", "encoded") or el.get("type") in ("html", "xhtml"):
                    count += shape(el.text or "")
            out[rel] = count
        elif rel == "search/search_index.json":
            docs = json.loads(file.read_text(encoding="utf-8"))["docs"]
            out[rel] = sum((shape(d["title"]) + shape(d["text"]) for d in docs), Counter())
        elif rel.startswith(("search/t2s/", "search/sort-")):
            continue  # search data: OpenCC's character table and Pagefind page ids, no content text
        elif file.suffix == ".json":
            feed = json.loads(file.read_text(encoding="utf-8"))
            out[rel] = sum((shape(i.get("content_html", "")) for i in feed.get("items", [])), Counter())
    return out


def shown(detail) -> str:  # type: ignore[no-untyped-def]
    """What a feed reader displays for a feedparser text construct: HTML is rendered, and holds no tags."""
    if detail.type == "text/html":
        assert not shape(detail.value), detail.value
        return html.unescape(detail.value)
    return str(detail.value)


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML string


def make(make_site, hostile: bool):  # type: ignore[no-untyped-def]
    text = PAYLOAD if hostile else CLEAN
    site = make_site()
    save_phone_photo(site.content / "stories" / "cover.jpg")
    (site.content / "authors.yml").write_text(f"wangli:\n  name: {q('王丽' + text)}\n  role: {q(text)}\n",
                                              encoding="utf-8")
    vocab = site.content / "narratives.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace(
        "description: ", f"description: {q(text)} #", 1), encoding="utf-8")
    site.story("law", title=q(TITLE if hostile else CLEAN), extra=f"summary: {q(TITLE if hostile else CLEAN)}\n")
    site.story("every-field", title=q(text), tags="[志愿服务, 应急救护]",
               extra=f"summary: {q(text)}\ncity: {q(text)}\ncover: cover.jpg\ncover_alt: {q(text)}\n"
                     "authors: [wangli]\n")
    site.write("lectures/talk/index.md",
        "---\nid: 1b4e28ba-2fa1-11d2-883f-0016d3cca427\n"
        f"title: {q(text)}\nsummary: {q(text)}\ndate: 2026-03-05 14:30\nduration: 90\ntags: [应急救护]\n"
        f"speakers:\n  - name: {q(text)}\n    affiliation: {q(text)}\nvenue: {q(text)}\ncity: {q(text)}\n"
        "---\n\n讲座内容。\n")
    site.build()
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from .conftest import SiteMaker

    counter = iter(range(10))

    def factory() -> SiteMaker:
        return SiteMaker(tmp_path_factory.mktemp(f"esc{next(counter)}"))

    return make(factory, hostile=False).site, make(factory, hostile=True).site


def test_no_element_or_attribute_is_injected_anywhere(sites) -> None:  # type: ignore[no-untyped-def]
    clean, hostile = site_shape(sites[0]), site_shape(sites[1])
    assert clean.keys() == hostile.keys()
    assert any(n.startswith("stories/every-field/") for n in clean)
    for name in clean:
        assert hostile[name] == clean[name], (name, hostile[name] - clean[name], clean[name] - hostile[name])


def test_the_title_displays_as_written_everywhere(sites) -> None:  # type: ignore[no-untyped-def]
    import feedparser
    from bs4 import BeautifulSoup

    site = sites[1]
    soup = BeautifulSoup((site / "stories" / "law" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("article h1").get_text() == TITLE
    assert soup.title.get_text() == f"{TITLE} - 红十字大讲堂"
    assert soup.select_one(".md-header__topic[data-md-component=header-topic] .md-ellipsis").get_text().strip() == TITLE
    assert soup.find("meta", attrs={"name": "description"})["content"] == TITLE
    assert soup.find("meta", property="og:title")["content"] == TITLE
    assert soup.find("meta", itemprop="name")["content"] == TITLE  # the share card's (QQ, WeChat)
    assert soup.select_one("dialog#rc-share img")["alt"] == "分享海报：" + TITLE
    jsonld = json.loads(soup.find("script", type="application/ld+json").string)
    assert jsonld["@graph"][0]["headline"] == TITLE
    index = site / "search" / "search_index.json"
    if index.is_file():  # Material's search shows titles as HTML: the index holds them escaped once
        docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
        titles = [html.unescape(d["title"]).replace("\u200b", "") for d in docs if d["location"].startswith("stories/law/")]
        assert TITLE in titles
    for listing in ("stories/index.html", "narratives/volunteer/index.html"):
        cards = BeautifulSoup((site / listing).read_text(encoding="utf-8"), "html.parser")
        assert TITLE in [a.get_text() for a in cards.select(".rc-card__title a")]
    for name in ("feed.xml", "atom.xml", "lectures/feed.xml"):
        feed = feedparser.parse((site / name).read_bytes())
        for entry in feed.entries:  # as a feed reader shows them: escaped once, not &amp;lt;, not stripped
            assert shown(entry.title_detail) in (TITLE, PAYLOAD), (name, entry.title_detail)
            assert shown(entry.summary_detail) in (TITLE, PAYLOAD), (name, entry.summary_detail)
        assert TITLE in [e.title for e in feed.entries] or name.startswith("lectures")
    assert TITLE in [i["title"] for i in json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]]


def test_every_field_shows_its_markup_as_text(sites) -> None:  # type: ignore[no-untyped-def]
    from bs4 import BeautifulSoup

    site = sites[1]
    page = BeautifulSoup((site / "stories" / "every-field" / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = page.select_one("article")
    assert article.h1.get_text() == PAYLOAD
    assert PAYLOAD in article.select_one(".rc-byline").get_text()  # city
    assert "王丽" + PAYLOAD in article.select_one(".rc-authors").get_text()
    assert PAYLOAD in [img.get("alt") for img in article.find_all("img")]  # cover_alt
    lecture = BeautifulSoup((site / "lectures" / "talk" / "index.html").read_text(encoding="utf-8"), "html.parser")
    facts = lecture.select_one(".rc-facts").get_text()
    assert facts.count(PAYLOAD) >= 4  # speaker, affiliation, venue, city
    narrative = BeautifulSoup((site / "narratives" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert PAYLOAD in narrative.select_one(".rc-links").get_text()
