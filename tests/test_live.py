"""The preview's partial rebuilds (adapters/live.py, pipeline/changes.py) against full preview builds.

`mkdocs serve`'s steps in this process (mkdocs.commands.serve: config, on_startup, the first build,
the live-reload server's watches and on_serve), without serving; each edit is followed by the
server's builder, as the server calls it. After a scripted random sequence of edits of every kind,
the preview folder must hold the same files, byte for byte, as a fresh preview build of the same
content, search index included.
"""

from __future__ import annotations

import gc
import logging
import random
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

from .conftest import BUILD_TIME, REPO, SiteMaker

pytestmark = pytest.mark.build
URL = "http://127.0.0.1:8000/"


class Preview:
    """A preview of `site`'s content into `out`, built as `mkdocs serve` builds it."""

    def __init__(self, site: SiteMaker, out: Path) -> None:
        self.site, self.out = site, out
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=False)
        self.plugins = config.plugins
        build(config, serve_url=URL)
        self.server = LiveReloadServer(builder=self._full, host="127.0.0.1", port=0, root=str(out))
        self.server.watch(config.docs_dir)
        self.server.watch(str(site.config))
        self.server = config.plugins.on_serve(self.server, config=config, builder=self._full)
        self.full_builds = 0

    def _config(self) -> MkDocsConfig:
        config = load_config(str(self.site.config), site_dir=str(self.out))
        config.site_url = URL
        return config

    def _full(self, config: MkDocsConfig | None = None) -> None:
        self.full_builds += 1
        build(config or self._config(), serve_url=URL)

    def rebuild(self) -> None:
        """What the server does when a watched file changed."""
        self.server.builder()

    def settle(self) -> None:
        self.server.builder.wait()  # the pages not viewed, rendered after the reload
        catching_up = self.plugins["rc-search"].catching_up
        assert catching_up is not None and catching_up.wait(120), "the search index caught up"

    def close(self) -> None:
        self.server.observer.stop() if self.server.observer.is_alive() else None
        self.plugins.on_shutdown()


@pytest.fixture
def preview_site(tmp_path: Path, media_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SiteMaker]:
    monkeypatch.setenv("SITE_BUILD_TIME", BUILD_TIME)
    site = SiteMaker(tmp_path / "site", media_cache)
    for folder in ("stories", "lectures", "images"):
        shutil.copytree(REPO / "content" / folder, site.content / folder)
    for name in ("authors.yml", "about.md"):
        shutil.copy(REPO / "content" / name, site.content / name)
    yield site


def files_of(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    left, right = files_of(a), files_of(b)
    return sorted(p for p in left.keys() | right.keys() if left.get(p) != right.get(p))


def _front(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return front, body


def _set(path: Path, key: str, value: str) -> None:
    front, body = _front(path)
    lines = [line for line in front.splitlines() if not line.startswith(f"{key}:")]
    path.write_text("---\n" + "\n".join([*lines, f"{key}: {value}"]) + "\n---\n" + body, encoding="utf-8")


def edits(site: SiteMaker, rng: random.Random) -> list[tuple[str, Callable[[], None]]]:
    """Every kind of edit an editor makes, on a story picked by `rng` (and a lecture's title: its notice too)."""
    stories = sorted(p for p in (site.content / "stories").glob("*.md"))
    story = rng.choice(stories)
    lecture = rng.choice(sorted((site.content / "lectures").glob("*/index.md")))
    tags = rng.choice(["[志愿服务]", "[应急救护]", "[捐赠]", "[志愿服务, 养老服务]"])
    n = rng.randrange(10_000)

    def body() -> None:
        front, text = _front(story)
        story.write_text(f"---\n{front}---\n{text}\n新增的一段，第 {n} 次修改。\n", encoding="utf-8")

    def new() -> None:
        site.story(f"xin-gushi-{n}", title=f"新故事 {n}", date=f"2026-0{rng.randrange(1, 4)}-1{rng.randrange(10)}",
                   tags=tags, body=f"新故事的正文 {n}。")

    def delete() -> None:
        made = sorted((site.content / "stories").glob("xin-gushi-*.md"))
        (rng.choice(made) if made else story).unlink()

    return [
        ("body", body),
        ("title", lambda: _set(story, "title", f"改过的标题 {n}")),
        ("lecture", lambda: _set(lecture, "title", f"改过的讲座标题 {n}")),
        ("tags", lambda: _set(story, "tags", tags)),
        ("date", lambda: _set(story, "date", f"2026-0{rng.randrange(1, 4)}-2{rng.randrange(8)}")),
        ("slug", lambda: _set(story, "slug", f"gai-guo-{n}")),
        ("summary", lambda: _set(story, "summary", f"改过的摘要，第 {n} 次。")),
        ("draft", lambda: _set(story, "draft", rng.choice(["true", "false"]))),
        ("new", new),
        ("delete", delete),
    ]


def test_random_edits_leave_the_preview_equal_to_a_fresh_preview_build(preview_site: SiteMaker, tmp_path: Path) -> None:
    rng = random.Random(27)
    live = Preview(preview_site, tmp_path / "live")
    kinds: list[str] = []
    try:
        # The site the partial rebuilds hold is left out of Python's full collections.
        assert gc.get_freeze_count() > 0
        # An edit is seen by the kernel's file notifications (MkDocs polls every 0.5 s).
        assert type(live.server.observer).__name__ == "InotifyObserver"
        live.server.observer.start()
        about = preview_site.content / "about.md"
        about.write_text(about.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        deadline = time.monotonic() + 30
        while not live.server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.01)
        assert live.server._want_rebuild, "the saved file was noticed"
        live.rebuild()
        live.server._want_rebuild = False
        about.read_text(encoding="utf-8")  # a rebuild reads content/: a file only read is no change
        time.sleep(0.5)
        assert not live.server._want_rebuild, "reading a file asked for a rebuild (a rebuild loop)"
        for _ in range(32):
            kind, edit = rng.choice(edits(preview_site, rng))
            edit()
            kinds.append(kind)
            live.rebuild()
        live.settle()
    finally:
        live.close()
    assert gc.get_freeze_count() == 0 and gc.isenabled(), "nothing left frozen, collection back on"
    assert live.full_builds < len(kinds) // 2, f"most edits rebuild only what they change ({live.full_builds} full)"
    fresh = Preview(preview_site, tmp_path / "fresh")
    fresh.settle()
    fresh.close()
    assert {"body", "title", "tags", "new", "delete", "slug", "date", "lecture"} <= set(kinds)
    assert differences(tmp_path / "live", tmp_path / "fresh") == []


def _get(server: LiveReloadServer, path: str, referer: str = "") -> bytes:
    """What the preview's server answers for `path` (its WSGI app, as a request would reach it)."""
    environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "HTTP_REFERER": referer}
    body = server.get_app()(environ, lambda status, headers: None)
    return b"".join(body)


def test_the_pages_viewed_come_first_and_the_rest_is_never_served_stale(
        preview_site: SiteMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    from site_plugins.adapters import live as live_module

    story = sorted((preview_site.content / "stories").glob("*.md"))[0]
    preview = Preview(preview_site, tmp_path / "live")
    out = tmp_path / "live"
    builder = preview.server.builder
    try:
        # A page a browser has open (polling for a reload) and one just asked for.
        listing = next(p for p in sorted(out.glob("narratives/*/index.html")))
        listing_url = "/" + listing.parent.relative_to(out).as_posix() + "/"
        _get(preview.server, "/livereload/1/2", referer="http://127.0.0.1:8000" + listing_url)
        assert builder.viewed.pages() == {listing_url[1:] + "index.html"}
        release, held = threading.Event(), []
        build = live_module._build

        def blocked(pages: list, made: object, plan: object, rest: bool = False) -> None:
            if rest:
                held.extend(p.file.dest_uri for p in pages)
                assert release.wait(60)
            build(pages, made, plan, rest)

        monkeypatch.setattr(live_module, "_build", blocked)
        _set(story, "title", "先看到的新标题")
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.rc-meta"):
            preview.rebuild()
        # The story's card, square and poster show the title: drawn after the reload, not before it.
        assert "3 张分享图片随后画好" in caplog.text
        src = story.relative_to(preview_site.content).as_posix()
        poster = preview.plugins["rc-meta"].result.published.posters[src]
        assert preview.full_builds == 0, "an edit of one story renders only what it changes"
        # The browsers reload now: the edited story's page and the open listing show the new title.
        page = builder.made.files.get_file_from_path(story.relative_to(preview_site.content).as_posix()).dest_uri
        assert "先看到的新标题" in _get(preview.server, "/" + page.removesuffix("index.html")).decode()
        assert "先看到的新标题" in _get(preview.server, listing_url).decode()
        # The rest is being made: a request for one of those pages waits for it, then shows the edit.
        deadline = time.monotonic() + 30
        while not held and time.monotonic() < deadline:
            time.sleep(0.01)
        others = [d for d in held if d.endswith("index.html")]
        assert others, "the title shows on pages nobody is viewing"
        answer: list[bytes] = []
        waiting = threading.Thread(target=lambda: answer.append(_get(preview.server, "/" + others[0])))
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive() and not answer, "a page the edit has not reached yet is not served"
        drawn: list[bytes] = []
        asking = threading.Thread(target=lambda: drawn.append(_get(preview.server, "/" + poster)))
        asking.start()
        asking.join(0.5)
        assert asking.is_alive() and not drawn, "a picture still being drawn is not served stale"
        css = next(out.rglob("*.css")).relative_to(out).as_posix()
        assert _get(preview.server, "/" + css) == (out / css).read_bytes(), "styles are never held"
        release.set()
        waiting.join(30)
        asking.join(30)
        assert answer and "先看到的新标题" in answer[0].decode()
        assert drawn and drawn[0] == (out / poster).read_bytes()
        preview.settle()
    finally:
        release.set()
        preview.close()
    fresh = Preview(preview_site, tmp_path / "fresh")
    fresh.settle()
    fresh.close()
    assert differences(out, tmp_path / "fresh") == []
