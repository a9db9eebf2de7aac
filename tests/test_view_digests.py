"""scripts/build's views made on demand (pipeline/views.py `OnDemand`) and kept as digests of their inputs.

The views are the same as `prepare` makes them all at once; a page's digest is the same in another
process (another hash seed) for the same content, and changes with what its view shows: where two
builds' digests are equal, so are their views (what pipeline/changes.plan relies on to skip a page).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BUILD_TIME, REPO

pytestmark = pytest.mark.unit

DRIVER = r"""
import dataclasses, json, sys
from pathlib import Path
from site_plugins import settings as site_settings
from site_plugins.content.dates import parse_when
from site_plugins.pipeline import changes
from site_plugins.pipeline.prepare import prepare
from site_plugins.pipeline.views import NOT_FOUND

repo, now = Path(sys.argv[1]), parse_when(sys.argv[2])[0]
loaded = site_settings.load(repo / "mkdocs.yml")
settings = dataclasses.replace(loaded, plugins=("rc-meta", "rc-feeds", "rc-listings", "rc-search", "rc-hosting"))
out, made = {}, {}
for content in sys.argv[3:]:
    lazy = prepare(Path(content), settings, now, on_demand=True)
    eager = prepare(Path(content), settings, now)
    keyed = changes.snapshot(lazy, keyed=True).views
    views = made[content] = dict(lazy.views)
    try:
        changes.snapshot(eager, keyed=True)
        refused = False
    except TypeError:
        refused = True
    out[content] = {"digests": {src: d.hex() for src, d in keyed.items()},
                    "same_as_eager": sorted(views) == sorted(eager.views) and all(views[s] == eager.views[s] for s in views),
                    "refused": refused, "not_found": NOT_FOUND}
if len(made) == 2:  # each page's view in the first content equal to its view in the second
    first, second = made.values()
    out["equal"] = {src: first.get(src) == view for src, view in second.items()}
print(json.dumps(out, ensure_ascii=False))
"""


def _run(*contents: Path, seed: str = "1") -> dict:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", DRIVER, str(REPO), BUILD_TIME, *map(str, contents)],
                          capture_output=True, text=True, env=env, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def contents(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The sample content, and a copy with one story's title changed (that story's source)."""
    root = tmp_path_factory.mktemp("views")
    before, after = root / "before", root / "after"
    shutil.copytree(REPO / "content", before)
    shutil.copytree(REPO / "content", after)
    story = sorted((after / "stories").glob("*.md"))[0]
    text = story.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    story.write_text(text.replace(title, title + "（改）", 1), encoding="utf-8")
    return before, after, story.relative_to(after).as_posix()


def test_views_made_on_demand_are_those_made_at_once(contents: tuple[Path, Path, str]) -> None:
    before, _, _ = contents
    found = _run(before)[str(before)]
    assert found["same_as_eager"]
    assert found["refused"]  # a keyed snapshot of views made at once would compare digests with views
    assert found["not_found"] in found["digests"]


def test_digests_are_the_same_in_another_process(contents: tuple[Path, Path, str]) -> None:
    before, _, _ = contents
    one, two = _run(before, seed="1")[str(before)], _run(before, seed="2")[str(before)]
    assert one["digests"] == two["digests"]
    assert len(set(one["digests"].values())) == len(one["digests"])  # every page has its own


def test_equal_digests_mean_equal_views_and_a_change_shows(contents: tuple[Path, Path, str]) -> None:
    before, after, story = contents
    found = _run(before, after)
    old, new = found[str(before)], found[str(after)]
    changed = {src for src in new["digests"] if old["digests"].get(src) != new["digests"][src]}
    assert story in changed
    assert len(changed) > 1  # the pages showing its card: home, listings, related stories
    assert len(changed) < len(new["digests"])
    for src, digest in new["digests"].items():
        if old["digests"].get(src) == digest:
            assert found["equal"][src], src
    assert any(not found["equal"][src] for src in changed - {story})


def test_a_digest_does_not_depend_on_how_equal_values_share_their_parts() -> None:
    from site_plugins.content.reuse import value_digest as digest

    word = "donor"
    shared = {"narrative": word, "key": word}  # one object twice: pickle's memo writes a reference
    apart = {"narrative": "".join(["do", "nor"]), "key": "".join(["don", "or"])}  # equal, two objects
    assert shared == apart
    assert digest(shared) == digest(apart)
    assert digest(shared) != digest({"narrative": word, "key": "other"})
    assert digest(shared, b"a") != digest(shared, b"b")
