"""The sample site, built for real and read back as a reader's client would."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import sample_content

pytestmark = pytest.mark.build

CATALOG, EDITION = sample_content()


def html(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def jsonld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]


def test_sample_content_is_rich_enough() -> None:
    stories, lectures = EDITION.stories, EDITION.lectures
    assert len(stories) >= 15 and len(lectures) >= 8
    for key in ("volunteer", "donor", "eldercare"):
        assert sum(key in s.tags for s in stories) >= 3
    assert any(lec.is_upcoming(EDITION.now) for lec in lectures)
    assert any(lec.recording and lec.slides for lec in lectures if not lec.is_upcoming(EDITION.now))
    reasons = {reason for _, reason in EDITION.withheld}
    assert reasons == {"草稿", "定时发布"}


def test_every_published_entry_has_its_page_with_structured_data(sample_site: Path) -> None:
    for entry in [*EDITION.stories, *EDITION.lectures]:
        soup = html(sample_site, entry.url)
        assert soup.find("h1").get_text(strip=True) == entry.title
        graphs = [node for data in jsonld(soup) for node in data["@graph"]]
        types = {node["@type"] for node in graphs}
        if entry.kind == "story":
            article = next(n for n in graphs if n["@type"] == "NewsArticle")
            assert article["author"] and article["publisher"]["name"] == "山西省红十字会"
            assert article["datePublished"].endswith("+08:00")
        else:
            event = next(n for n in graphs if n["@type"] == "Event")
            assert event["location"]["name"] and event["performer"] and event["organizer"]
        assert "BreadcrumbList" in types
        canonical = soup.find("link", rel="canonical")["href"]
        assert canonical == "https://lecture.example.org/" + entry.url
        assert soup.find("meta", property="og:title")["content"] == entry.title
        assert soup.find("meta", attrs={"name": "twitter:card"})
        assert soup.find("html")["lang"].startswith("zh")


def test_home_describes_the_organisation(sample_site: Path) -> None:
    graphs = [n for data in jsonld(html(sample_site, "")) for n in data["@graph"]]
    assert {"NGO", "WebSite"} <= {n["@type"] for n in graphs}


def test_story_page_shows_chinese_date_reading_time_and_anchors(sample_site: Path) -> None:
    story = max(EDITION.stories, key=lambda s: s.char_count)
    soup = html(sample_site, story.url)
    byline = soup.select_one(".rc-byline").get_text()
    assert f"{story.date.year}年{story.date.month}月{story.date.day}日" in byline
    # number and unit joined by no-break spaces: they never wrap apart
    assert f"约\u00a0{story.reading_minutes}\u00a0分钟读完" in byline and story.reading_minutes >= 3
    assert f"{story.char_count}\u00a0字" in byline
    headings = soup.select(".rc-body h2[id]")
    assert headings and all(re.search(r"[\u4e00-\u9fff]", h["id"]) for h in headings)


def test_lecture_fact_box(sample_site: Path) -> None:
    for lecture in EDITION.lectures:
        box = html(sample_site, lecture.url).select_one(".rc-facts").get_text()
        assert lecture.venue in box and lecture.city in box
        assert all(s.name in box for s in lecture.speakers)
        if lecture.cancelled:
            assert "已取消" in box
        elif lecture.is_upcoming(EDITION.now):
            assert "即将举行" in box
        if lecture.recording:
            assert "下载录音" in box
        if lecture.slides:
            assert "讲义" in box


def test_withheld_entries_are_absent_everywhere(sample_site: Path) -> None:
    assert EDITION.withheld
    everything = "\n".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in sample_site.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".ics")
    )
    for entry, _ in EDITION.withheld:
        assert not (sample_site / entry.url).exists()
        assert entry.title not in everything
        assert f"/{entry.url}" not in everything
        assert entry.id not in everything


def test_search_index_holds_chinese_character_by_character(sample_site: Path) -> None:
    """Material's search_index.json is gone; Pagefind's fragments hold each story's text with a
    zero-width space between Han characters (site_plugins/outputs/search/records.py: split_han)."""
    from .test_search import fragments

    assert not (sample_site / "search" / "search_index.json").exists()
    records = {r["url"]: r for r in fragments(sample_site)}
    assert all("/" + s.url in records for s in EDITION.stories)
    story = records["/" + EDITION.stories[0].url]
    assert "\u200b" in story["content"]
    assert story["content"].replace("\u200b", "").count(EDITION.stories[0].title[:4]) >= 1


def test_sitemap_lists_published_pages_only(sample_site: Path) -> None:
    sitemap = (sample_site / "sitemap.xml").read_text(encoding="utf-8")
    for entry in [*EDITION.stories, *EDITION.lectures]:
        assert f"https://lecture.example.org/{entry.url}<" in sitemap
    for entry, _ in EDITION.withheld:
        assert entry.url not in sitemap


def test_every_share_image_exists(sample_site: Path) -> None:
    prefix = "https://lecture.example.org/"
    for page in sample_site.rglob("*.html"):
        tag = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find("meta", property="og:image")
        if tag is None:
            continue
        assert tag["content"].startswith(prefix), page
        assert (sample_site / tag["content"][len(prefix):]).is_file(), (page, tag["content"])
