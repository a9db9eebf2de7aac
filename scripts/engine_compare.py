"""Build a site with MkDocs and with ProperDocs, and compare the two outputs.

ProperDocs (a fork of MkDocs 1.6 that keeps its plugin API) reads mkdocs.yml,
the `mkdocs.plugins` and `mkdocs.themes` entry points, and redirects every
`import mkdocs.…` to `properdocs.…`, so Material and our adapters run under it
unchanged. The one difference allowed between the two sites is the generator
named in each page's `<meta name="generator">` (Material prints the engine's
name and version there). Used by `scripts/engines` and `tests/test_engines.py`.
"""

from __future__ import annotations

import difflib
import gzip
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from checkout_env import checkout_pythonpath

REPO = Path(__file__).resolve().parent.parent
ENGINES = ("mkdocs", "properdocs")  # module names: `python -m mkdocs`, `python -m properdocs`
# Material's base.html: <meta name="generator" content="mkdocs-1.6.1, mkdocs-material-9.8.2">.
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
NORMALISED = b'<meta name="generator" content="">'


def build(engine: str, config: Path, site_dir: Path, env: dict[str, str] | None = None,
          timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """`python -m ENGINE build --strict -f CONFIG -d SITE_DIR` with this checkout's plugins, in a process of its own.

    A process of its own because ProperDocs takes over the name `mkdocs` in `sys.modules`: it
    cannot share an interpreter that has imported MkDocs.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; one of {', '.join(ENGINES)}")
    # The two variables silence Material's and ProperDocs' notices about MkDocs 2.
    full = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
            "PYTHONPATH": checkout_pythonpath(REPO), **(env or {})}
    return subprocess.run([sys.executable, "-m", engine, "build", "--strict", "-f", str(config), "-d", str(site_dir)],
                          capture_output=True, text=True, env=full, cwd=config.parent, timeout=timeout)


def generator(page: Path) -> str:
    """The generator a built page names, or "" if it names none."""
    found = re.search(rb'<meta name="generator" content="([^"]*)">', page.read_bytes())
    return found.group(1).decode() if found else ""


def normalised(path: Path) -> bytes:
    """A file's bytes with the generator meta blanked (HTML only; a `.gz` is read uncompressed)."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    name = path.name.removesuffix(".gz")
    return GENERATOR.sub(NORMALISED, data) if name.endswith((".html", ".htm")) else data


@dataclass(frozen=True)
class Difference:
    path: str  # relative to the site folder
    what: str  # a line for people

    def __str__(self) -> str:
        return f"{self.path}: {self.what}"


def _first_change(a: bytes, b: bytes) -> str:
    """Where two files part: the first differing lines of a text file, or the first differing byte."""
    try:
        left, right = a.decode("utf-8").splitlines(), b.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        at = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        return f"binary files differ from byte {at} ({len(a)} and {len(b)} bytes)"
    diff = [line.strip() for line in difflib.unified_diff(left, right, "a", "b", n=0, lineterm="")][2:6]
    return "differs: " + " | ".join(line[:160] for line in diff)


def _gzip_is_copy(site: Path, rel: str) -> bool:
    """A precompressed `X.gz` holds exactly the bytes of `X` beside it."""
    return gzip.decompress((site / rel).read_bytes()) == (site / rel.removesuffix(".gz")).read_bytes()


def differences(first: Path, second: Path) -> list[Difference]:
    """Every difference between two built sites except the generator meta of their pages.

    A precompressed copy (`X.gz` beside `X`) differs whenever its page's generator does: it is
    compared uncompressed, and each side's copy must hold exactly its own `X`.
    """
    def files(site: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}

    a, b = files(first), files(second)
    out = [Difference(rel, f"only in {first.name}") for rel in sorted(a - b)]
    out += [Difference(rel, f"only in {second.name}") for rel in sorted(b - a)]
    for rel in sorted(a & b):
        left, right = (first / rel).read_bytes(), (second / rel).read_bytes()
        if left == right:
            continue
        if rel.endswith(".gz") and rel.removesuffix(".gz") in a & b:
            broken = [site.name for site in (first, second) if not _gzip_is_copy(site, rel)]
            if broken:
                out.append(Difference(rel, f"not a gzip copy of its file in {', '.join(broken)}"))
                continue
        if normalised(first / rel) != normalised(second / rel):
            out.append(Difference(rel, _first_change(normalised(first / rel), normalised(second / rel))))
    return out
