"""`aliases:` — old addresses redirect; collisions fail check and build alike; renames are noticed."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from site_plugins import urls
from site_plugins.content.aliases import normalise, page_urls
from site_plugins.content.catalog import load_catalog
from site_plugins.content.tree import hidden

from .conftest import REPO, SiteMaker
from .test_scripts import problems, run

pytestmark = pytest.mark.build


@pytest.mark.parametrize(("raw", "kind", "expected"), [
    ("old-name", "story", "stories/old-name/"),
    ("old-name", "lecture", "lectures/old-name/"),
    ("/stories/old-name/", "story", "stories/old-name/"),
    ("/stories/old-name", "story", "stories/old-name/"),
    ("/news/2019/0305.html", "story", "news/2019/0305.html"),
    ("/%E5%BF%97%E6%84%BF/", "story", "志愿/"),
])
def test_aliases_are_normalised(raw: str, kind: str, expected: str) -> None:
    assert normalise(raw, kind) == (expected, "")


@pytest.mark.parametrize(("raw", "hint"), [
    ("https://lecture.example.org/stories/old/", "/stories/old/"),
    ("Old Name", "以 / 开头"),
    ("/stories/a b/", "空格"),
    ('/x/"onload/', "引号"),
    ("/news/1.php", "php"),
    ("/stories/../about/", ".."),
    ("/", "首页"),
    ("/.hosting/x/", "."),
])
def test_bad_aliases_say_what_to_write(raw: str, hint: str) -> None:
    alias, reason = normalise(raw, "story")
    assert alias == "" and hint in reason


def test_old_addresses_become_redirect_pages(make_site: Callable[[], SiteMaker]) -> None:
    site = make_site()
    site.story("new-name", title="新的<标题>", extra="aliases: [old-name, /news/2019/0305.html]\n")
    site.story("hidden", extra="draft: true\naliases: [hidden-old]\n")
    site.build()
    page = (site.site / "stories" / "old-name" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../new-name/">' in page
    assert '<link rel="canonical" href="https://lecture.example.org/stories/new-name/">' in page
    assert "本页已迁移到新的网址" in page and '<a href="../new-name/">新的&lt;标题&gt;</a>' in page
    old_news = (site.site / "news" / "2019" / "0305.html").read_text(encoding="utf-8")
    assert 'url=../../stories/new-name/"' in old_news
    nginx = (site.site / ".hosting" / "nginx-redirects.conf").read_text(encoding="utf-8")
    assert 'location = "/stories/old-name" { return 301 "/stories/new-name/"; }' in nginx
    assert "hidden" not in nginx and not (site.site / "stories" / "hidden-old").exists()  # drafts: no redirect
    assert '"stories/old-name/index.html": "/stories/new-name/"' in (
        site.site / ".hosting" / "redirects.json").read_text(encoding="utf-8")
    # Redirect pages stay out of the sitemap.
    assert "old-name" not in (site.site / "sitemap.xml").read_text(encoding="utf-8")


def _content_relative(lines: list[tuple[str, int, str, str]]) -> list[tuple[str, int, str, str]]:
    return [(p.removeprefix("content/"), n, f, m) for p, n, f, m in lines if f == "aliases"]


def test_collisions_fail_check_and_build_with_the_same_message(make_site: Callable[[], SiteMaker]) -> None:
    site = make_site()
    site.story("a", extra="aliases: [b, shared, /about/]\n")
    site.story("b")
    site.story("c", extra="aliases: [shared, /narratives/volunteer/, c]\n")
    checked = run("check", "--content", site.content, cwd=site.root)
    assert checked.returncode == 1
    from_check = _content_relative(problems(checked.stdout))
    built = site.build(check=False)
    assert built.returncode != 0
    line_re = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+): (?P<field>aliases): (?P<message>.+)$")
    from_build = [(m["path"].removeprefix("content/"), int(m["line"]), m["field"], m["message"])
                  for m in map(line_re.match, (built.stdout + built.stderr).splitlines()) if m]
    assert sorted(from_check) == sorted(from_build) and len(from_check) == 6
    messages = "\n".join(f"{p}: {m}" for p, _, _, m in from_check)
    assert "stories/a.md: 旧网址 /stories/b/ 是 stories/b.md 现在的网址" in messages
    assert "stories/a.md: 旧网址 /about/ 是 about.md 现在的网址" in messages
    assert "stories/a.md: 旧网址 /stories/shared/ 也写在 stories/c.md 的 aliases 中" in messages
    assert "stories/c.md: 旧网址 /stories/shared/ 也写在 stories/a.md 的 aliases 中" in messages
    assert "stories/c.md: 旧网址 /narratives/volunteer/ 是网站自动生成的页面" in messages
    assert "stories/c.md: 旧网址 /stories/c/ 就是本文现在的网址" in messages


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_check_offers_the_alias_after_a_rename(make_site: Callable[[], SiteMaker]) -> None:
    site = make_site()
    story = site.story("old-name", title="改名的故事")
    site.story("bundle", title="捆绑")
    # Outside a repository (and before the first commit) there is nothing to compare.
    outside = run("check", "--content", site.content, cwd=site.root)
    assert outside.returncode == 0 and "注意" not in outside.stdout
    _git(site.root, "init", "-q")
    _git(site.root, "add", ".")
    before_commit = run("check", "--content", site.content, cwd=site.root)
    assert before_commit.returncode == 0 and "注意" not in before_commit.stdout
    _git(site.root, "commit", "-qm", "content")

    # 1. A new slug in the front matter.
    story.write_text(story.read_text(encoding="utf-8").replace("title:", "slug: new-name\ntitle:"), encoding="utf-8")
    # 2. A file moved into a bundle under another name (same id).
    bundle = site.content / "stories" / "bundle.md"
    (site.content / "stories" / "moved").mkdir()
    bundle.rename(site.content / "stories" / "moved" / "index.md")
    checked = run("check", "--content", site.content, cwd=site.root)
    assert checked.returncode == 0, checked.stdout  # a warning, not an error
    notices = "\n".join(line.removeprefix("注意：") for line in checked.stdout.splitlines() if line.startswith("注意："))
    warned = {p: m for p, _, f, m in problems(notices) if f == "slug"}
    assert warned["content/stories/old-name.md"].startswith("网址从 /stories/old-name/ 改成了 /stories/new-name/")
    assert warned["content/stories/old-name.md"].endswith("aliases: [old-name]")
    assert warned["content/stories/moved/index.md"].endswith("aliases: [bundle]")
    assert "另有 2 条“注意”" in checked.stdout

    # Adding the offered line settles it, and the build redirects the old address.
    story.write_text(story.read_text(encoding="utf-8").replace("title:", "aliases: [old-name]\ntitle:"),
                     encoding="utf-8")
    settled = run("check", "--content", site.content, "content/stories/old-name.md", cwd=site.root)
    assert settled.returncode == 0 and "注意" not in settled.stdout

    # Without git on PATH the check still runs.
    no_git = run("check", "--content", site.content, cwd=site.root, env={"PATH": "/nonexistent"})
    assert no_git.returncode == 0 and "注意" not in no_git.stdout


def test_every_area_the_build_writes_is_refused_as_an_old_address(sample_site: Path) -> None:
    """urls.GENERATED_TOP is derived from the addresses it names: every top-level file or folder of
    the built sample that no content file (or old address) owns is in it."""
    catalog, _ = load_catalog(REPO / "content")
    assert catalog is not None
    owned = {url.split("/")[0] for url in page_urls(REPO / "content")} | set(urls.FOLDERS.values())
    owned |= {alias.split("/")[0] for entry in [*catalog.stories, *catalog.lectures] for alias in entry.aliases}
    written = {p.name for p in sample_site.iterdir() if not hidden(p.name) and not p.name.endswith(".gz")}
    assert written - owned <= urls.GENERATED_TOP, written - owned - urls.GENERATED_TOP
    assert {"posters", "notices", "pagefind", "admin", "search"} <= written - owned  # the areas urls.py names
