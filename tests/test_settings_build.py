"""The settings through real builds: a bad value stops check and build alike, a production build
checks (and probes each recording) once, and no build's state leaks into the next one in the same
process (`mkdocs serve`'s rebuilds). The check ≡ build table under a second config is in
test_check_equals_build.py."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .audio_helpers import make_recording
from .conftest import BUILD_TIME, REPO, SiteMaker, checkout_pythonpath
from .image_helpers import save_phone_photo
from .test_scripts import run

pytestmark = pytest.mark.build


def test_a_bad_setting_stops_check_and_build_with_the_same_line(make_site: Callable[[], SiteMaker]) -> None:
    site = make_site()
    site.story("one")
    config = site.config.read_text(encoding="utf-8")
    site.config.write_text(config.replace("      page_size: 12\n", "      page_size: 12\n      page_sise: 6\n"),
                           encoding="utf-8")
    line = next(n for n, text in enumerate(site.config.read_text(encoding="utf-8").splitlines(), 1) if "page_sise" in text)
    expected = f"mkdocs.yml:{line}: rc-listings.page_sise: rc-listings 没有 page_sise 这个设置。是不是 page_size？"
    check = run("check", "--content", site.content, cwd=site.root)
    assert check.returncode == 1 and expected in check.stdout, check.stdout
    build = site.build(check=False)
    assert build.returncode != 0 and expected in build.stderr, build.stderr


def test_no_state_of_one_build_reaches_the_next(make_site: Callable[[], SiteMaker]) -> None:
    """MkDocs keeps rc-meta for the process (it has on_startup, as for serve's rebuilds): the second
    build's maps of published media hold that build's images only."""
    from mkdocs.config import load_config

    site = make_site()
    save_phone_photo(site.content / "stories" / "gone.jpg", 64, 48)
    site.story("pictured", body="![将被删除的照片](gone.jpg)")
    site.build()
    meta = load_config(config_file=str(site.config)).plugins["rc-meta"]  # the instance the build used
    published = meta.result.published  # type: ignore[attr-defined]
    assert "stories/gone.jpg" in published.image_url and "stories/gone.jpg" in published.thumbnails
    (site.content / "stories" / "gone.jpg").unlink()
    site.story("pictured", body="没有照片了。")
    site.build()
    assert load_config(config_file=str(site.config)).plugins["rc-meta"] is meta
    published = meta.result.published  # type: ignore[attr-defined]
    assert published.image_url == {} and published.thumbnails == {}
    assert set(published.placeholders) == {n.key for n in meta.result.catalog.vocabulary.narratives}  # type: ignore[attr-defined]


def test_a_production_build_checks_and_probes_each_recording_once(make_site: Callable[[], SiteMaker],
                                                                  tmp_path: Path) -> None:
    """scripts/build hands its check to the build: one ffprobe a recording, none in the transcoder."""
    site = make_site(shared_cache=False)  # a cold cache: both recordings are transcoded
    for slug in ("first", "second"):
        site.lecture(slug, date="2026-03-10 14:30", extra="recording:\n  file: talk.wav\n")
        make_recording(site.content / "lectures" / slug / "talk.wav", 3 + len(slug) / 10)
    shims = tmp_path / "bin"
    shims.mkdir()
    log = tmp_path / "ffprobe.log"
    real = subprocess.run(["sh", "-c", "command -v ffprobe"], capture_output=True, text=True).stdout.strip()
    (shims / "ffprobe").write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    (shims / "ffprobe").chmod(0o755)
    env = {**os.environ, "PATH": f"{shims}:{os.environ['PATH']}", "SITE_BUILD_TIME": BUILD_TIME,
           "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": checkout_pythonpath(REPO)}
    # A process of its own: its pool of transcoders starts with the shim on PATH.
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build"), "-f", str(site.config)],
                            cwd=site.root, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "rc-audio: 2 recordings (2 transcoded, 0 cached)" in result.stderr
    probes = log.read_text(encoding="utf-8").splitlines()
    assert len(probes) == 2 and {p.rsplit("/", 2)[-2] for p in probes} == {"first", "second"}, probes
