"""`pip install .` (not editable) gives working plugins: package data included, nothing read from the checkout.

The virtualenv sees the test environment's packages (`tests/venvs.py`), so the
dependencies are not downloaded again; our package itself is built into a wheel
the way pip builds it for a user (build isolation) and installed into the virtualenv, and the test proves the build imports that
copy, not this checkout or an editable install. The sample site is built from a
folder outside the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BUILD_TIME, REPO
from .venvs import make_venv

pytestmark = pytest.mark.build


def test_non_editable_install_builds_the_sample_site(tmp_path: Path, sample_site: Path) -> None:
    # sample_site: the session's build of the sample content has filled the checkout's .cache/,
    # which is copied below, so this build does not draw every social image again.
    env_dir = tmp_path / "venv"
    # No pip of its own (ensurepip takes seconds): this interpreter's pip installs into it (--python).
    python = make_venv(env_dir)
    source = tmp_path / "source"  # a copy: setuptools writes build/ and *.egg-info beside the sources
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(".git", ".cache", "site", ".site*", "node_modules",
                                                                  "__pycache__", "*.egg-info", "build", "test-artifacts"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(NO_MKDOCS_2_WARNING="1", SITE_BUILD_TIME=BUILD_TIME, PIP_DISABLE_PIP_VERSION_CHECK="1")
    # Built as pip builds it for a user: in an isolated environment with the backend pyproject.toml
    # names (setuptools>=77), never with whatever setuptools this machine happens to have.
    install = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                              str(source)],
                             capture_output=True, text=True, env=env, cwd=tmp_path)
    assert install.returncode == 0, install.stdout + install.stderr

    # The site's own files (content, mkdocs.yml, theme overrides) in a folder of their own.
    site_root = tmp_path / "site-repo"
    site_root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", site_root)
    for name in ("content", "assets", ".cache"):  # .cache (if built before): processed media, to save time
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, site_root / name)
    # The site's Node packages (npm ci puts them beside mkdocs.yml): /admin/'s bundle comes from there.
    (site_root / "node_modules").symlink_to(REPO / "node_modules", target_is_directory=True)
    where = subprocess.run([str(python), "-c", "import site_plugins, site_plugins.media.social as s; "
                            "print(site_plugins.__file__); print(s.DEFAULT_FONT)"],
                           capture_output=True, text=True, env=env, cwd=site_root, check=True).stdout.split()
    assert all(Path(p).resolve().is_relative_to(env_dir.resolve()) for p in where), where
    assert Path(where[1]).is_file()  # the card font is package data

    build = subprocess.run([str(python), "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "out")],
                           capture_output=True, text=True, env=env, cwd=site_root)
    assert build.returncode == 0, build.stdout + build.stderr
    out = tmp_path / "out"
    assert (out / "index.html").is_file() and (out / "feed.xml").is_file() and (out / "lectures" / "calendar.ics").is_file()
    assert list(out.glob("cards/stories/*.jpg")) or list(out.glob("cards/stories/*.png"))  # social images drawn
