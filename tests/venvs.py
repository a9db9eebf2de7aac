"""Virtualenvs for tests that install or run the project the way a user's machine does.

A venv made with `system_site_packages=True` sees the *base* interpreter's packages, not
those of the virtualenv the tests run in (the README's `.venv`), so a test made that way
passes under the system Python and fails for a newcomer. `make_venv` instead makes a plain
venv and appends the running environment's site-packages with a `.pth` line: the new
interpreter has our dependencies wherever they were installed, and whatever is installed
into the new venv itself comes first.
"""

from __future__ import annotations

import sysconfig
import venv
from pathlib import Path


def make_venv(env_dir: Path) -> Path:
    """A new virtualenv at `env_dir` that also sees this environment's packages; its python."""
    venv.EnvBuilder(with_pip=False, symlinks=True).create(env_dir)
    python = env_dir / "bin" / "python"
    inner = next((env_dir / "lib").glob("python3*/site-packages"))
    outer = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    # A plain path line: the outer folder is appended to sys.path, but its own .pth files (an
    # editable install's finder among them) are not run, so the new venv's installs win.
    (inner / "zz-outer-environment.pth").write_text("\n".join(outer) + "\n", encoding="utf-8")
    return python
