"""Entry HTML as feed readers get it: every URL absolute, heading permalinks dropped, lecture facts.

Readers show an entry away from the site, so relative links would break and
the page's "#" permalinks mean nothing there.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import urljoin

from site_plugins.content.dates import zh_datetime
from site_plugins.content.schema import Lecture
from site_plugins.outputs.feeds.podcast import Enclosure
from site_plugins.outputs.pages.seo import SiteInfo

URL_ATTRS = frozenset({"href", "src", "poster", "srcset", "data-src"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class _Absolutizer(HTMLParser):
    """Re-emit HTML unchanged except URL attributes (made absolute) and heading permalinks (dropped)."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=False)
        self.base = base
        self.out: list[str] = []
        self.skip = 0  # open elements inside an <a class="headerlink">, whose "#" means nothing in a reader

    def _absolute(self, name: str, value: str) -> str:
        if name == "srcset":
            candidates = (c.strip().split(None, 1) for c in value.split(",") if c.strip())
            return ", ".join(" ".join([urljoin(self.base, c[0]), *c[1:]]) for c in candidates)
        return urljoin(self.base, value.strip())

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> None:
        raw = self.get_starttag_text() or ""
        if self.skip or (tag == "a" and "headerlink" in (dict(attrs).get("class") or "").split()):
            if close == ">" and tag not in VOID:
                self.skip += 1
            return
        if not any(name in URL_ATTRS and value for name, value in attrs):
            self.out.append(raw)
            return
        parts = [tag]
        for name, value in attrs:
            if value is None:
                parts.append(name)
                continue
            if name in URL_ATTRS:
                value = self._absolute(name, value)
            parts.append(f'{name}="{html.escape(value, quote=True)}"')
        self.out.append("<" + " ".join(parts) + close)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, ">")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs, " />")

    def handle_endtag(self, tag: str) -> None:
        if self.skip:
            self.skip -= 1
            return
        self.out.append(f"</{tag}>")

    def _raw(self, text: str) -> None:
        if not self.skip:
            self.out.append(text)

    def handle_data(self, data: str) -> None:
        self._raw(data)

    def handle_entityref(self, name: str) -> None:
        self._raw(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._raw(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        pass  # comments are for editors, not for readers

    def handle_decl(self, decl: str) -> None:
        self._raw(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._raw(f"<?{data}>")


def absolutize(fragment: str, base: str) -> str:
    """The HTML fragment with every href/src/srcset/poster resolved against `base`."""
    parser = _Absolutizer(base)
    parser.feed(fragment)
    parser.close()
    return "".join(parser.out).strip()


def lecture_facts(lecture: Lecture, site: SiteInfo, recording: Enclosure | None) -> str:
    """What the lecture page shows above its body (time, place, speakers, files), for readers of the feed."""
    until = f"–{lecture.end:%H:%M}" if lecture.end else ""
    place = "，".join(p for p in (lecture.venue, lecture.city) if p)
    speakers = "、".join(f"{s.name}（{s.affiliation}）" if s.affiliation else s.name for s in lecture.speakers)
    lines = [f"时间：{zh_datetime(lecture.date)}{until}", f"地点：{place}"]
    if speakers:
        lines.append(f"主讲：{speakers}")
    facts = "<br>".join(html.escape(line) for line in lines)
    files = []
    if recording is not None:
        files.append(f'<a href="{html.escape(recording.url)}">录音（{html.escape(recording.duration)}）</a>')
    if lecture.transcript is not None:
        files.append(f'<a href="{html.escape(site.absolute(lecture.transcript.file))}">文字稿</a>')
    if lecture.slides:
        files.append(f'<a href="{html.escape(site.absolute(lecture.slides))}">讲义（PDF）</a>')
    if files:
        facts += "<br>" + " · ".join(files)
    cancelled = "<p><strong>本场讲座已取消。</strong></p>" if lecture.cancelled else ""
    return f"{cancelled}<p>{facts}</p>"
