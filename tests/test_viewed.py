"""adapters/viewed.py: which preview pages count as viewed, and which requests wait for an edit's rest."""

from __future__ import annotations

import pytest

from site_plugins.adapters.viewed import KEPT, RECENT, Viewed, site_path

pytestmark = pytest.mark.unit


def test_site_path_names_the_file_a_url_serves() -> None:
    assert site_path("/") == "index.html"
    assert site_path("/stories/yi-ge/") == "stories/yi-ge/index.html"
    assert site_path("/feed.xml") == "feed.xml"
    assert site_path("/../../etc/passwd") == "etc/passwd"  # kept inside the site, as MkDocs' server does
    assert site_path("/site/a/", "/site/") == "a/index.html"
    assert site_path("/other/", "/site/") is None


def test_pages_asked_for_lately_are_viewed_and_old_ones_forgotten() -> None:
    now = [0.0]
    viewed = Viewed(clock=lambda: now[0])
    viewed.saw("/stories/a/")
    viewed.saw("/feed.xml")  # not a page
    now[0] = RECENT / 2
    viewed.saw("/narratives/zhiyuan/")
    assert viewed.pages() == {"stories/a/index.html", "narratives/zhiyuan/index.html"}
    now[0] = RECENT + 1
    assert viewed.pages() == {"narratives/zhiyuan/index.html"}
    for n in range(KEPT + 5):
        viewed.saw(f"/p{n}/")
    assert len(viewed.pages()) == KEPT and "p0/index.html" not in viewed.pages()


def test_while_the_rest_is_made_its_pages_and_the_outputs_that_are_not_pages_wait() -> None:
    viewed = Viewed()
    assert not viewed.held("narratives/a/page/2/index.html")
    viewed.hold({"narratives/a/page/2/index.html", "404.html"})
    assert viewed.held("narratives/a/page/2/index.html") and viewed.held("404.html")
    assert viewed.held("feed.xml") and viewed.held("sitemap.xml") and viewed.held("calendar.ics")
    assert not viewed.held("stories/a/index.html"), "a page the edit did not change (or made already)"
    assert not viewed.held("assets/stylesheets/main.css") and not viewed.held("images/a.WEBP")
    viewed.release()
    assert not viewed.held("feed.xml") and not viewed.held("narratives/a/page/2/index.html")
