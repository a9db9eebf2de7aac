"""PYTHONPATH that makes a build use this checkout's plugins, entry points included.

`pip install -e` registers the `mkdocs.plugins` entry points of the checkout it
was run in, when it was run: an adapter added since (or in another clone) is
"not installed" for MkDocs. The tests and `scripts/bench` put this checkout
first on PYTHONPATH, together with a small `.dist-info` folder that declares
the entry points of this checkout's pyproject.toml, so they always build with
this checkout's code and this checkout's list of plugins. By hand:
`PYTHONPATH=$(python3 scripts/checkout_env.py) mkdocs build`.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import tomllib
from pathlib import Path

_made: dict[str, str] = {}


def entry_points_dir(repo: Path, root: Path | None = None) -> str:
    """A folder holding a dist-info with this checkout's MkDocs entry points.

    Without `root`, a temporary folder made once per process and removed when it exits.
    """
    if root is None and str(repo) in _made:
        return _made[str(repo)]
    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    plugins = project.get("entry-points", {}).get("mkdocs.plugins", {})
    if root is None:
        root = Path(tempfile.mkdtemp(prefix="rc-entry-points-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        _made[str(repo)] = str(root)
    info = root / "rc_lecture_hall_checkout-0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: rc-lecture-hall-checkout\nVersion: 0\n",
                                   encoding="utf-8")
    lines = ["[mkdocs.plugins]", *(f"{name} = {target}" for name, target in sorted(plugins.items()))]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(root)


def checkout_pythonpath(repo: Path) -> str:
    """PYTHONPATH for a child build: this checkout, its entry points, then whatever was set."""
    return os.pathsep.join(filter(None, [str(repo), entry_points_dir(repo), os.environ.get("PYTHONPATH", "")]))


if __name__ == "__main__":
    # `PYTHONPATH=$(python3 scripts/checkout_env.py) mkdocs build`: a hand build with this checkout's plugins.
    here = Path(__file__).resolve().parent.parent
    print(os.pathsep.join([str(here), entry_points_dir(here, here / ".cache" / "entry-points")]))
