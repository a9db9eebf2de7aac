"""Advance widths and coverage of the shipped Han fonts, read without opening the fonts.

The printable lecture notice (media/notice.py) breaks its own lines, so that the build
and `scripts/check` know, without WeasyPrint, what a notice has to cut. Opening one of
the 11 MB fonts with fontTools costs about 0.4 s; a 30 KB sidecar made from them holds
what line breaking needs instead: each font's covered code points (as ranges) and every
advance that is not one em (Latin letters, digits, some punctuation: about 450). All
fonts here have 1000 units per em. scripts/make_font_subset.py writes the sidecar with
the fonts, and tests/test_notice.py holds it equal to them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# The two weights of the notice: the card font (bold) and its regular-weight sibling.
FONTS = {"regular": FONT_DIR / "NotoSansSC-Regular-Han.otf", "bold": FONT_DIR / "NotoSansSC-Bold-Han.otf"}
SIDECAR = FONT_DIR / "NotoSansSC-Han-metrics.json"
EM = 1000
PT_MM = 25.4 / 72  # millimetres in a point


@dataclass(frozen=True)
class FontMetrics:
    """What line breaking needs of one font."""

    ranges: tuple[tuple[int, int], ...]  # covered code points, first and last of each run, sorted
    advances: Mapping[int, int]  # code point -> advance in 1/1000 em, where it is not one em

    def __post_init__(self) -> None:
        # For speed (a layout measures thousands of strings): the covered characters as a set, and
        # character -> its advance less one em, which most characters of a Chinese text are not in.
        object.__setattr__(self, "_chars", frozenset(chr(c) for a, b in self.ranges for c in range(a, b + 1)))
        object.__setattr__(self, "_delta", {chr(k): v - EM for k, v in self.advances.items()})

    def covers(self, char: str) -> bool:
        return char in self._chars  # type: ignore[attr-defined]

    def width(self, text: str, size: float) -> float:
        """Width of `text` set at `size` (any unit: the result is in the same unit), no kerning."""
        delta: dict[str, int] = self._delta  # type: ignore[attr-defined]
        return (len(text) * EM + sum(delta[c] for c in text if c in delta)) * size / EM


def measure(path: Path) -> FontMetrics:
    """Read the metrics from the font file itself (slow: fontTools)."""
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    ranges: list[list[int]] = []
    for point in sorted(cmap):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    advances = {point: hmtx[name][0] for point, name in cmap.items() if hmtx[name][0] != EM}
    return FontMetrics(tuple((a, b) for a, b in ranges), advances)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecar(fonts: Mapping[str, Path] = FONTS) -> str:
    """The sidecar's text for `fonts`: the same fonts give the same bytes."""
    data = {}
    for weight, path in sorted(fonts.items()):
        found = measure(path)
        data[weight] = {"file": path.name, "sha256": digest(path), "ranges": [list(r) for r in found.ranges],
                        "advances": {str(k): v for k, v in sorted(found.advances.items())}}
    return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"


@cache
def load(path: Path = SIDECAR) -> dict[str, FontMetrics]:
    """The metrics of each weight, from the sidecar."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {weight: FontMetrics(tuple((a, b) for a, b in entry["ranges"]),
                                {int(k): v for k, v in entry["advances"].items()})
            for weight, entry in data.items()}


if __name__ == "__main__":  # python -m site_plugins.media.metrics: write the sidecar again
    SIDECAR.write_text(sidecar(), encoding="utf-8")
    print(f"{SIDECAR}: {SIDECAR.stat().st_size} bytes")
