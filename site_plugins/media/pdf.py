"""HTML to PDF with WeasyPrint, drawn only with the fonts we ship, the same bytes every time.

WeasyPrint finds fonts through fontconfig. The @font-face rules load our files, but a
character they lack would be looked up among the machine's fonts (fonts-noto-cjk,
DejaVu...), and the PDF would differ from one machine to the next. So the font
configuration starts from an empty fontconfig configuration: the only fonts it knows are
the @font-face ones. Nothing but those font files is fetched (no other file, no network).

The PDF has no creation or modification date (WeasyPrint writes them only when the HTML's
metadata has them; ours never does) and its /ID is a digest of its bytes, so the same
HTML gives the same bytes, in any process, zone or hash seed. The system's Pango and
HarfBuzz shape the text and subset the fonts (WeasyPrint embeds only the glyphs used: a
notice is about 200 KB, not the 23 MB of the two fonts), so their versions are part of
`renderer_id`, the cache key's share of the renderer: machines of one kind give one output.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from site_plugins.media.metrics import FONTS, digest

FAMILY = "RC Notice Sans"  # our name for the shipped fonts; no system font has it
_EMPTY_FONTCONFIG = ('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
                     "<fontconfig></fontconfig>\n")
_WEIGHTS = {"regular": 400, "bold": 700}
_ENV_LOCK = threading.Lock()
_FOLDER_PREFIX = "rc-notice-fonts-"
# /ID from the bytes (the same notice, the same ID); a tagged PDF, so screen readers read it in order.
_WRITE_OPTIONS = {"pdf_identifier": True, "pdf_tags": True}


class RenderError(RuntimeError):
    """The HTML did not make exactly one page (a layout bug, not an editor's mistake)."""


def font_faces(fonts: Mapping[str, Path] = FONTS) -> str:
    """The @font-face rules of `fonts` (weight name -> file) under FAMILY."""
    return "".join(f'@font-face{{font-family:"{FAMILY}";font-weight:{_WEIGHTS[weight]};'
                   f'src:url("{path.resolve().as_uri()}")}}\n' for weight, path in sorted(fonts.items()))


@cache
def _font_configuration() -> Any:
    """A WeasyPrint FontConfiguration that knows no system font, one per process.

    WeasyPrint copies each @font-face file into a folder of its own (23 MB here), removed
    only when the configuration is collected, which a pool worker ended by `os._exit` never
    does: the folder is named by the process, and a new one removes those of ended processes.
    """
    from weasyprint.text.fonts import FontConfiguration

    with tempfile.TemporaryDirectory(prefix="rc-fontconfig-") as folder, _ENV_LOCK:
        conf = Path(folder) / "fonts.conf"
        conf.write_text(_EMPTY_FONTCONFIG, encoding="utf-8")
        before = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(conf)  # read once, by the FcInitLoadConfigAndFonts below
        try:
            config = FontConfiguration()
        finally:
            if before is None:
                os.environ.pop("FONTCONFIG_FILE", None)
            else:
                os.environ["FONTCONFIG_FILE"] = before
    config._folder = _font_folder()  # where add_font_face copies the fonts (it makes one only if None)
    return config


def _font_folder() -> Path:
    """This process's folder for WeasyPrint's font copies, after removing those of ended processes."""
    root = Path(tempfile.gettempdir())
    for stale in root.glob(f"{_FOLDER_PREFIX}*"):
        pid = stale.name.removeprefix(_FOLDER_PREFIX)
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    folder = root / f"{_FOLDER_PREFIX}{os.getpid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


@cache
def _fetcher(allowed: frozenset[Path]) -> Any:
    """A URL fetcher that opens only the `allowed` files; anything else stops the rendering."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class OurFilesOnly(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            path = Path(unquote(parts.path)).resolve() if parts.scheme == "file" and not parts.netloc else None
            if path not in allowed:
                raise ValueError(f"the notice may load only the shipped fonts, not {url}")
            return URLFetcherResponse(url, path.read_bytes())

    return OurFilesOnly(fail_on_errors=True)


def render(html: str, fonts: Mapping[str, Path] = FONTS) -> bytes:
    """The one-page PDF of the HTML document `html`, whose CSS names no font family but FAMILY
    (the @font-face rules are added to its <head>).

    Raises RenderError if the document is not exactly one page.
    """
    from weasyprint import HTML

    if "</head>" not in html:
        raise ValueError("render() needs a whole HTML document with a <head>")
    html = html.replace("</head>", f"<style>{font_faces(fonts)}</style></head>", 1)
    fetcher = _fetcher(frozenset(p.resolve() for p in fonts.values()))
    document = HTML(string=html, url_fetcher=fetcher).render(font_config=_font_configuration())
    if len(document.pages) != 1:
        raise RenderError(f"the notice took {len(document.pages)} pages instead of one")
    return bytes(document.write_pdf(**_WRITE_OPTIONS))


@cache
def renderer_id(fonts: tuple[tuple[str, Path], ...] = tuple(sorted(FONTS.items()))) -> str:
    """What decides a PDF's bytes besides its HTML (part of a notice's cache key): the fonts'
    digests, the versions of WeasyPrint and the Python libraries it writes with, and of the
    system's Pango and HarfBuzz (shaping, subsetting), read without importing WeasyPrint."""
    from importlib.metadata import version

    return json.dumps({"packages": {name: version(name) for name in ("weasyprint", "pydyf", "fonttools")},
                       "options": _WRITE_OPTIONS,
                       "pango": _library_version("pango-1.0", "pango_version_string"),
                       "harfbuzz": _library_version("harfbuzz", "hb_version_string"),
                       "harfbuzz-subset": bool(ctypes.util.find_library("harfbuzz-subset")),
                       "fonts": {weight: digest(path) for weight, path in fonts}}, sort_keys=True)


def _library_version(name: str, function: str) -> str:
    """The version a shared library reports of itself ("" if it is not there)."""
    found = ctypes.util.find_library(name)
    if not found:
        return ""
    try:
        report = getattr(ctypes.CDLL(found), function)
    except (OSError, AttributeError):
        return ""
    report.restype = ctypes.c_char_p
    return str(report().decode())
