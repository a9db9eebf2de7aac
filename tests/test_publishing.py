"""scripts/build (atomic, keeps the last good site), scripts/serve (live preview),
the pre-commit hook and `mkdocs gh-deploy`, each run as a real command."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from site_plugins.deploy import stage as publish

from .conftest import BUILD_TIME, REPO, SiteMaker, checkout_pythonpath
from .inprocess import cli_in_process
from .test_scripts import problems, run
from .venvs import make_venv

pytestmark = pytest.mark.build


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file of a folder with its size and modification time."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def siblings(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}."))


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# An MkDocs hook that stops the build at a chosen point, so the test kills it exactly there.
PAUSE_HOOK = textwrap.dedent("""
    import os
    import time
    from pathlib import Path

    from mkdocs.plugins import event_priority

    POINT = os.environ.get("RC_TEST_PAUSE", "")
    pages = 0


    def pause(point):
        if point == POINT:
            Path(os.environ["RC_TEST_MARK"]).write_text(point)
            time.sleep(600)


    def on_pre_build(config):
        pause("start")  # staging folder made, nothing written yet


    def on_post_page(output, page, config):
        global pages
        pages += 1
        if pages == 5:
            pause("pages")  # four pages written
        return output


    @event_priority(-200)
    def on_post_build(config):
        pause("end")  # everything written, .gz files included; the swap comes next
""")


def test_a_killed_build_leaves_the_site_and_the_next_build_equals_a_clean_one(
        make_site: Callable[[], SiteMaker]) -> None:
    site = make_site()
    for n in range(8):
        site.story(f"story-{n}", title=f"第{n}篇", extra=f"aliases: [old-{n}]\n" if n == 0 else "")
    (site.root / "pause.py").write_text(PAUSE_HOOK, encoding="utf-8")
    site.config.write_text(site.config.read_text(encoding="utf-8") + "\nhooks:\n  - pause.py\n", encoding="utf-8")
    env = {**os.environ, "SITE_BUILD_TIME": BUILD_TIME, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": checkout_pythonpath(REPO)}
    command = [sys.executable, str(REPO / "scripts" / "build"), "-f", str(site.config)]

    def build() -> None:
        done = run("build", "-f", site.config, cwd=site.root, umask=0o077)  # modes must not depend on it
        assert done.returncode == 0, done.stdout + done.stderr

    build()
    good, good_bytes = snapshot(site.site), digests(site.site)
    assert (site.site / "stories" / "old-0" / "index.html").is_file() and (site.site / "index.html.gz").is_file()
    state = site.root / ".cache" / "build" / "state.pickle"  # the next build's: only what changed (none)
    kept_state = state.read_bytes()
    for point in ("start", "pages", "end"):
        # A clean build reaches every point; the last one is killed as an incremental build, from the
        # state the first build kept, so the build after the kills starts from the state too.
        state.unlink(missing_ok=True)
        if point == "end":
            state.write_bytes(kept_state)
        mark = site.root / f"{point}.mark"
        process = subprocess.Popen(command, cwd=site.root, env={**env, "RC_TEST_PAUSE": point, "RC_TEST_MARK": str(mark)},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 180
        while not mark.exists():
            assert process.poll() is None, f"the build ended before reaching {point}"
            assert time.monotonic() < deadline, f"the build never reached {point}"
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGKILL)  # scripts/build and its mkdocs child at once
        process.wait()
        assert snapshot(site.site) == good, f"site/ changed by a build killed at {point}"
        [staging] = [site.site.parent / name for name in siblings(site.site)]
        written = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()}
        if point == "pages":
            assert any(name.endswith("/index.html") for name in written)
        if point == "end":
            assert "feed.xml" in written and "index.html.gz" in written
        if point != "end":
            shutil.rmtree(staging)  # one leftover at a time; the last is for the next build to clear

    build()
    assert siblings(site.site) == []  # leftovers of the killed builds are gone
    assert digests(site.site) == good_bytes  # the same bytes as the first, clean build


def test_build_replaces_the_site_only_when_everything_passes(make_site: Callable[[], SiteMaker]) -> None:
    site = make_site()
    site.story("first", title="第一篇")
    ok = run("build", "-f", site.config, cwd=site.root)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "完成：site/ 已更新" in ok.stdout
    assert "第一篇" in (site.site / "stories" / "first" / "index.html").read_text(encoding="utf-8")
    good = snapshot(site.site)

    # 1. Bad content: the check stops the build before MkDocs runs.
    site.story("bad", tags="[志原服务]")
    bad = run("build", "-f", site.config, cwd=site.root)
    assert bad.returncode == 1
    assert problems(bad.stdout)[0][:3] == ("content/stories/bad.md", 5, "tags")
    assert "构建失败：site/ 保持上一次成功构建的内容" in bad.stderr
    assert snapshot(site.site) == good
    (site.content / "stories" / "bad.md").unlink()

    # 2. Content passes the check but MkDocs fails (here: a broken configuration).
    site.story("second", title="第二篇")
    config = site.config.read_text(encoding="utf-8")
    site.config.write_text(config.replace("  - rc-meta\n", "  - rc-meta\n  - no-such-plugin\n"), encoding="utf-8")
    broken = run("build", "-f", site.config, cwd=site.root)
    assert broken.returncode != 0
    assert "mkdocs build 失败" in broken.stderr and "no-such-plugin" in broken.stdout + broken.stderr
    assert snapshot(site.site) == good
    assert siblings(site.site) == []  # the staging folder is gone

    # 3. Fixed: the new site replaces the old one in one step.
    site.config.write_text(config, encoding="utf-8")
    fixed = run("build", "-f", site.config, cwd=site.root)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert (site.site / "stories" / "second" / "index.html").is_file()
    assert siblings(site.site) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_swap_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool) -> None:
    if not exchange:
        monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old", encoding="utf-8")
    new = publish.staging_dir(site)
    (new / "index.html").write_text("new", encoding="utf-8")
    publish.swap_in(new, site)
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    # The very first build has no previous site to replace.
    fresh = tmp_path / "fresh"
    publish.swap_in(publish.staging_dir(fresh), fresh)
    assert fresh.is_dir() and sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "site"]


def test_the_build_reads_its_folders_from_the_settings() -> None:
    from site_plugins import settings

    loaded = settings.load(REPO / "mkdocs.yml")
    assert (loaded.content_dir, loaded.site_dir) == (REPO / "content", REPO / "site")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, needle: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = response.read().decode("utf-8")
            if needle in text:
                return text
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} never appeared at {url}; last page:\n{text[:500]}")


def test_serve_shows_drafts_and_rebuilds_on_story_and_vocabulary_edits(make_site: Callable[[], SiteMaker]) -> None:
    site = make_site()
    site.story("live", title="已发布的故事")
    draft = site.story("draft", title="还在写的草稿", extra="draft: true\n")
    port = _free_port()
    tmp = site.root / "tmp"  # where MkDocs puts the preview's site
    tmp.mkdir()
    env = {**os.environ, "SITE_BUILD_TIME": BUILD_TIME, "PYTHONPATH": checkout_pythonpath(REPO), "TMPDIR": str(tmp)}
    server = subprocess.Popen([sys.executable, str(REPO / "scripts" / "serve"), "-f", str(site.config),
                               "-a", f"127.0.0.1:{port}"], cwd=site.root, env=env, start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_for(base + "stories/draft/", "草稿：此页只在预览中显示")
        _wait_for(base + "stories/live/", "复制到公众号")  # the preview's button (adapters/wechat.py)
        # Editing a story refreshes its page.
        draft.write_text(draft.read_text(encoding="utf-8").replace("还在写的草稿", "改过标题的草稿"), encoding="utf-8")
        _wait_for(base + "stories/draft/", "改过标题的草稿")
        # Editing the vocabulary refreshes the generated narrative pages.
        vocabulary = site.content / "narratives.yml"
        text = vocabulary.read_text(encoding="utf-8")
        assert "活跃在街头" in _wait_for(base + "narratives/volunteer/", "活跃在街头")
        vocabulary.write_text(text.replace("活跃在街头、社区和灾区的红十字志愿者", "改过的专题说明"), encoding="utf-8")
        _wait_for(base + "narratives/volunteer/", "改过的专题说明")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode("utf-8", "replace")
    assert "预览地址" in output
    assert not list(tmp.glob("mkdocs_*")), "a stopped preview left its temporary site behind"


@pytest.mark.parametrize("installed", ["dot-venv", "recorded"])
def test_pre_commit_hook_checks_changed_content(make_site: Callable[[], SiteMaker], tmp_path: Path,
                                                installed: str) -> None:
    """The repository's .pre-commit-config.yaml, run by pre-commit in a fresh repository, from a git
    whose `python3` lacks our packages: the hook finds the project's interpreter in `.venv` (the
    README's way) or where `scripts/install` recorded it (a virtualenv elsewhere)."""
    site = make_site()
    site.story("good")
    repo = site.root
    shutil.copy(REPO / ".pre-commit-config.yaml", repo)
    (repo / "scripts").mkdir()
    shutil.copy(REPO / "scripts" / "check", repo / "scripts" / "check")
    # The editor's git runs outside the virtualenv: only the system's folders on PATH, so the hook's
    # `python3` is the system's, without our dependencies.
    if installed == "dot-venv":
        make_venv(repo / ".venv")  # a real virtualenv, as `python3 -m venv .venv` makes
    else:
        (repo / ".cache").mkdir(exist_ok=True)
        (repo / ".cache" / "python").write_text(make_venv(tmp_path / "elsewhere").as_posix() + "\n", encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}, "PATH": "/usr/bin:/bin",
           "SITE_BUILD_TIME": BUILD_TIME, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
           "PYTHONPATH": checkout_pythonpath(REPO), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    assert Path(sys.executable).parent.as_posix() not in env["PATH"].split(":")
    # PYTHONPATH holds only this checkout: the system's python3 must still lack our dependencies.
    bare = subprocess.run(["python3", "-c", "import markdown"], env=env, capture_output=True)
    assert bare.returncode != 0, "the system's python3 has our packages: this test would prove nothing"

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)

    git("init", "-q")
    git("add", ".")
    hook = [sys.executable, "-m", "pre_commit", "run", "--files"]
    passed = subprocess.run([*hook, "content/stories/good.md"], cwd=repo, env=env, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    site.story("bad", tags="[志原服务]")
    git("add", "content/stories/bad.md")
    failed = subprocess.run([*hook, "content/stories/bad.md"], cwd=repo, env=env, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "content/stories/bad.md:5: tags: 未知专题“志原服务”" in failed.stdout


def test_publish_workflow() -> None:
    workflow = yaml.load((REPO / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"),
                         Loader=yaml.BaseLoader)
    triggers = workflow["on"]
    assert set(triggers) >= {"pull_request", "push", "schedule"}
    assert triggers["push"]["branches"] == ["main"]
    assert triggers["schedule"][0]["cron"] == "5 16 * * *"  # 00:05 in Beijing
    steps = [step.get("run", "") for step in workflow["jobs"]["build"]["steps"]]
    assert any(s.startswith("scripts/check") for s in steps) and "scripts/build" in steps
    assert steps.index("scripts/install test") < steps.index("scripts/build")  # ffmpeg before the build needs it
    # Lint, types and tests pass before anything is built or published.
    lint, tests = steps.index("ruff check . && mypy"), next(i for i, s in enumerate(steps) if "pytest" in s)
    assert lint < steps.index("scripts/build") and tests < steps.index("scripts/build")
    # The published site follows the clock; a fixed build time is for tests only.
    envs = [workflow.get("env", {}), *(job.get("env", {}) for job in workflow["jobs"].values()),
            *(step.get("env", {}) for job in workflow["jobs"].values() for step in job.get("steps", []))]
    assert not any("SITE_BUILD_TIME" in env or "SOURCE_DATE_EPOCH" in env for env in envs)
    deploy = workflow["jobs"]["deploy"]
    assert "pull_request" in deploy["if"] and deploy["needs"] == "build"
    # Object storage: after the build, on main only, keys from secrets, settings from variables.
    [storage] = [step for step in workflow["jobs"]["build"]["steps"] if step.get("run") == "scripts/publish"]
    names = [step.get("name", "") for step in workflow["jobs"]["build"]["steps"]]
    assert names.index(storage["name"]) > steps.index("scripts/build")
    assert "pull_request" in storage["if"] and "vars.RC_PUBLISH_BUCKET" in storage["if"]
    assert storage["env"]["AWS_SECRET_ACCESS_KEY"].startswith("${{ secrets.")
    assert storage["env"]["RC_PUBLISH_BUCKET"] == "${{ vars.RC_PUBLISH_BUCKET }}"


def test_mkdocs_gh_deploy_pushes_the_site(make_site: Callable[[], SiteMaker], tmp_path: Path) -> None:
    site = make_site()
    site.story("first", title="第一篇")
    remote = tmp_path / "remote.git"
    env = {**os.environ, "SITE_BUILD_TIME": BUILD_TIME, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": checkout_pythonpath(REPO), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def git(*args: str, cwd: Path = site.root) -> str:
        result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "content")
    git("remote", "add", "origin", str(remote))
    # MkDocs' own gh-deploy command, in this process (tests/inprocess.py): it builds with our plugins,
    # then pushes with ghp-import (git runs as a process).
    deploy = cli_in_process(["gh-deploy", "--force", "-f", str(site.config)], site.root,
                            {k: env[k] for k in env if k.startswith(("GIT_", "SITE_", "NO_MKDOCS"))})
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert {"index.html", ".nojekyll", "stories/first/index.html", "subscribe/index.html"} <= set(files)
