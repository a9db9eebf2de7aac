"""Shared fixtures: build real sites into temporary folders and read them back."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from site_plugins.content.catalog import Catalog, Edition

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

# The suite starts dozens of interpreters (xdist workers, scripts, builds and their workers). On
# a machine that sets PYTHONDONTWRITEBYTECODE, each would compile our modules and pytest would
# rewrite every test module again (a second of each worker's start): cache bytecode here.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
from checkout_env import checkout_pythonpath, entry_points_dir  # noqa: E402

# Tests that load mkdocs.yml in this process (load_config) find this checkout's entry points too.
sys.path.append(entry_points_dir(REPO))

# A fixed "now" so that scheduled stories and upcoming lectures do not depend on the day CI runs.
BUILD_TIME = "2026-11-29T12:00:00+08:00"


KINDS = ("unit", "build", "browser")


# Seconds a module's unit and build tests take (fast loop, 2026-12-06). A scheduling hint only:
# pytest-xdist (--dist loadscope) hands out modules in collection order, so the longest go
# first and the short ones fill the gaps at the end, instead of one worker finishing a long
# module alone. A stale figure costs a few seconds, never a result.
MODULE_SECONDS = {
    "test_publishing.py": 19, "test_images.py": 19, "test_audio_build.py": 13, "test_object_storage.py": 11,
    "test_audio.py": 10, "test_transcripts.py": 10, "test_editor_input.py": 9, "test_engines.py": 9,
    "test_feeds.py": 6, "test_scripts.py": 5, "test_packaging.py": 5, "test_home.py": 4, "test_feed_rules.py": 4,
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test carries a kind (`pytestmark` in its module), so `-m` selects the fast loop;
    the longest modules run first (MODULE_SECONDS)."""
    unmarked = sorted({item.nodeid.split("::")[0] for item in items
                       if not any(item.get_closest_marker(kind) for kind in KINDS)})
    if unmarked:
        raise pytest.UsageError(f"mark each test module with one of {KINDS} (pytestmark): {unmarked}")
    items.sort(key=lambda item: -MODULE_SECONDS.get(item.path.name, 0))  # stable: each module keeps its order


@functools.cache
def sample_content() -> tuple[Catalog, Edition]:
    """The sample content's catalog and what a build at BUILD_TIME publishes, read once per session."""
    from site_plugins.content.catalog import edition, load_catalog
    from site_plugins.content.dates import parse_when

    catalog, problems = load_catalog(REPO / "content")
    assert catalog is not None and problems == [], problems
    return catalog, edition(catalog, parse_when(BUILD_TIME)[0])


@pytest.fixture(scope="session")
def sample_catalog() -> Catalog:
    return sample_content()[0]


@pytest.fixture(scope="session")
def sample_edition() -> Edition:
    return sample_content()[1]


# Variables a build reads while it runs: set around an in-process build. Any other variable
# (PYTHONHASHSEED, TZ, HOME...) takes effect only in a new interpreter, so such a build runs
# the CLI in a subprocess.
IN_PROCESS_ENV = frozenset({"SITE_BUILD_TIME"})


def run_build(config: Path, site_dir: Path, extra_env: dict[str, str] | None = None,
              check: bool = True, subprocess_cli: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `mkdocs build --strict` for `config` into `site_dir`.

    In this process by default (tests/inprocess.py: the CLI's steps and log format, without an
    interpreter and imports per build); `subprocess_cli`, or a variable that needs a new
    interpreter, runs `python -m mkdocs` as an editor does.
    """
    from site_plugins.cms import npm

    missing = npm.ensure_installed(REPO, quiet=True, dev=True)  # /admin/ and the quality gates' tools
    if missing:
        raise AssertionError(missing)
    extra = {"SITE_BUILD_TIME": BUILD_TIME, **(extra_env or {})}
    if subprocess_cli or not set(extra) <= IN_PROCESS_ENV:
        # PYTHONPATH: test this checkout's plugins and entry points even if another clone was
        # `pip install -e`'d since, or an adapter was added after it (scripts/checkout_env.py).
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": checkout_pythonpath(REPO), **extra}
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)],
            capture_output=True, text=True, env=env, cwd=config.parent,
        )
    else:
        from tests.inprocess import build_in_process

        result = build_in_process(config, site_dir, extra)
    if check and result.returncode != 0:
        raise AssertionError(f"build failed:\n{result.stdout}\n{result.stderr}")
    return result


def session_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder, shared by pytest-xdist's workers (each has a folder below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample content, built once per test session (the first xdist worker builds it)."""
    import fcntl

    root = session_dir(tmp_path_factory) / "sample"
    root.mkdir(exist_ok=True)
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other workers wait, then read the same site
        if not (root / "built").is_file():
            # In this process, like the synthetic sites; `mkdocs build` as a command of its own builds
            # the sample in test_reproducible (compared with this one), test_packaging and the killed build.
            run_build(REPO / "mkdocs.yml", root / "site")
            (root / "built").touch()
    return root / "site"


class SiteMaker:
    """A small synthetic site in a temporary folder, using the repo's config and theme.

    `media_cache`: a folder for rc-images', rc-audio's, rc-notice's and rc-hosting's caches (shared by the synthetic
    sites of a session: entries are keyed by content, so a site sees only its own media, and Material's
    assets and the web editor's bundle are compressed once, not once a build); None for the site's own.
    """

    def __init__(self, root: Path, media_cache: Path | None = None) -> None:
        self.root = root
        self.content = root / "content"
        self.content.mkdir(parents=True)
        shutil.copy(REPO / "content" / "narratives.yml", self.content / "narratives.yml")
        shutil.copy(REPO / "content" / "index.md", self.content / "index.md")
        (self.content / "about.md").write_text("---\ntitle: 关于我们\n---\n\n关于本站。\n", encoding="utf-8")
        (self.content / "authors.yml").write_text("wangli:\n  name: 王丽\n  role: 宣传联络部\n", encoding="utf-8")
        config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
        config = config.replace("custom_dir: assets/overrides", f"custom_dir: {REPO / 'assets' / 'overrides'}")
        if media_cache is not None:
            for plugin, folder in (("rc-images", "images"), ("rc-audio", "audio"), ("rc-notice", "notices"),
                                   ("rc-hosting", "gzip")):
                config = config.replace(f"  - {plugin}\n", f"  - {plugin}:\n      cache_dir: {media_cache / folder}\n", 1)
                assert f"cache_dir: {media_cache / folder}" in config, plugin
        self.config = root / "mkdocs.yml"
        self.config.write_text(config, encoding="utf-8")
        self.site = root / "site"

    def write(self, rel: str, text: str) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def story(self, slug: str, *, title: str = "测试故事", date: str = "2026-03-05",
              tags: str = "[志愿服务]", body: str = "正文第一段。", extra: str = "",
              uid: str | None = None) -> Path:
        import uuid

        uid = uid or str(uuid.uuid5(uuid.NAMESPACE_URL, slug))
        front = f"id: {uid}\ntitle: {title}\ndate: {date}\ntags: {tags}\n{extra}"
        return self.write(f"stories/{slug}.md", f"---\n{front.rstrip()}\n---\n\n{body}\n")

    def lecture(self, slug: str, *, title: str = "测试讲座", date: str = "2026-03-05 14:30",
                extra: str = "", body: str = "讲座内容。") -> Path:
        import uuid

        uid = str(uuid.uuid5(uuid.NAMESPACE_URL, "lecture/" + slug))
        front = (f"id: {uid}\ntitle: {title}\ndate: {date}\nduration: 90\ntags: [应急救护]\n"
                 "speakers:\n  - name: 李红梅\n    affiliation: 讲师\nvenue: 培训教室\ncity: 太原\n" + extra)
        return self.write(f"lectures/{slug}/index.md", f"---\n{front.rstrip()}\n---\n\n{body}\n")

    def build(self, check: bool = True, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return run_build(self.config, self.site, extra_env, check)

    def copy(self, root: Path) -> SiteMaker:
        """This site (content, config, the last build and a cache of its own) in another folder, to change."""
        shutil.copytree(self.root, root, symlinks=True)
        other = SiteMaker.__new__(SiteMaker)
        other.root, other.content, other.config, other.site = root, root / "content", root / "mkdocs.yml", root / "site"
        return other


@pytest.fixture(scope="session")
def media_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic sites' media cache, one per session (shared by pytest-xdist's workers: stores are atomic).

    The same placeholders and the same social image of "测试故事" are then drawn once, not per build.
    """
    return session_dir(tmp_path_factory) / "media-cache"


@pytest.fixture
def make_site(tmp_path: Path, media_cache: Path) -> Callable[..., SiteMaker]:
    """Factory for a synthetic site; call it to get a fresh SiteMaker (`shared_cache=False`: a cold cache of its own)."""
    counter = iter(range(1000))
    return lambda shared_cache=True: SiteMaker(tmp_path / f"s{next(counter)}", media_cache if shared_cache else None)


@pytest.fixture(scope="module")
def make_shared_site(tmp_path_factory: pytest.TempPathFactory, media_cache: Path) -> Callable[[], SiteMaker]:
    """Factory for a synthetic site that several tests of a module build once and read (or `copy` to change)."""
    return lambda: SiteMaker(tmp_path_factory.mktemp("shared"), media_cache)


# --- Serving a built site and driving Debian's Chromium (browser and validator tests) ---

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def serve(root: Path) -> tuple[str, Callable[[], None]]:
    """Serve `root` on 127.0.0.1 at a free port in a thread; return (base URL, stop)."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep pytest output clean
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_address[1]}/", stop


@pytest.fixture(scope="session")
def site_url(sample_site: Path):  # type: ignore[no-untyped-def]
    """Base URL of the sample site served over HTTP (search's web worker needs http://)."""
    url, stop = serve(sample_site)
    yield url
    stop()


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def sample_pages(sample_site: Path) -> dict[str, str]:
    """Site paths of one page of each kind (home, narrative index, story, lecture), found as a reader would."""
    from bs4 import BeautifulSoup

    def first_link(page: str, prefix: str) -> str:
        soup = BeautifulSoup((sample_site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        for a in soup.select(".rc-card__title a"):
            target = (sample_site / page / a["href"]).resolve().relative_to(sample_site.resolve()).as_posix() + "/"
            if target.startswith(prefix):
                return target
        raise AssertionError(f"no {prefix} link on {page}")

    return {"home": "", "narrative": "narratives/volunteer/",
            "story": first_link("narratives/volunteer", "stories/"),
            "lecture": first_link("lectures", "lectures/")}
