"""The share pictures a build draws, at their site paths: each entry's square image and poster, and
the site's square (pages that are not entries).

From the build's entries to `SquareSpec`s (media/square.py) and `PosterSpec`s
(media/poster.py), each with its cache key: the MkDocs adapter only hands in
the entries, the processed covers and the emblem file, has media/cache.py draw
what is missing, and publishes the files. A lecture's poster spec holds its
date, time range, venue and speakers, so a change to any of them is a new key
and a new poster.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from site_plugins import urls
from site_plugins.content.dates import zh_date, zh_day
from site_plugins.content.reuse import Derived
from site_plugins.content.schema import Entry, Lecture
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.media.poster import SUFFIX as POSTER_SUFFIX
from site_plugins.media.poster import PosterSpec
from site_plugins.media.social import files_state
from site_plugins.media.square import SquareSpec

Drawing = SquareSpec | PosterSpec


def lecture_facts(lecture: Lecture) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The poster's rows for a lecture: (时间, 地点, 主讲), each with its lines."""
    start, end = lecture.date, lecture.end
    if end is None:
        when: tuple[str, ...] = (zh_day(start), f"{start:%H:%M} 开始")
    elif end.date() == start.date():
        when = (zh_day(start), f"{start:%H:%M}–{end:%H:%M}")
    else:  # over several days: each end with its own day
        when = (f"{zh_day(start)}{start:%H:%M} 至", f"{zh_day(end)}{end:%H:%M}")
    place = f"{lecture.city} · {lecture.venue}" if lecture.city and lecture.city not in lecture.venue else lecture.venue
    speakers = tuple(f"{s.name}（{s.affiliation}）" if s.affiliation else s.name for s in lecture.speakers)
    return (("时间", when), ("地点", (place,)), *((("主讲", speakers),) if speakers else ()))


def poster_spec(entry: Entry, vocab: Vocabulary, site_name: str, page_url: str, emblem: str = "") -> PosterSpec:
    """What the poster of `entry` shows; `page_url` is its canonical address (the QR code)."""
    tags = [vocab[t] for t in entry.tags]
    labels, color = tuple(t.label for t in tags), tags[0].color if tags else ""
    if isinstance(entry, Lecture):
        return PosterSpec(title=entry.title, kind="讲座", labels=labels, color=color, site_name=site_name, url=page_url,
                          facts=lecture_facts(entry), status="本场讲座已取消" if entry.cancelled else "", emblem=emblem)
    return PosterSpec(title=entry.title, kind="故事", labels=labels, color=color, site_name=site_name, url=page_url,
                      date=zh_date(entry.date) + (f" · {entry.city}" if entry.city else ""), summary=entry.summary,
                      emblem=emblem)


def square_spec(entry: Entry, vocab: Vocabulary, site_name: str, cover: str = "", cover_id: str = "",
                emblem: str = "") -> SquareSpec:
    """What the square share image of `entry` shows; `cover` is its processed cover photo's file."""
    first = vocab[entry.tags[0]] if entry.tags else None
    return SquareSpec(site_name=site_name, title=entry.title, label=first.label if first else "",
                      color=first.color if first else "", cover=cover, cover_id=cover_id, emblem=emblem)


def poster_path(entry: Entry) -> str:
    """Site path of the poster of `entry`."""
    return urls.poster(entry.kind, entry.slug, POSTER_SUFFIX)


def share_drawings(entries: Iterable[Entry], vocab: Vocabulary, site_name: str, site_url: str,
                   covers: Mapping[str, tuple[str, str]], fonts: Sequence[str],
                   emblem: str = "") -> dict[str, tuple[str, Drawing]]:
    """Site path -> (cache key, spec) of every share picture of a build.

    `covers` maps an entry's source to its processed cover (file, cache key); `site_url` ends with "/".
    """
    site = SquareSpec(site_name=site_name, emblem=emblem)
    out: dict[str, tuple[str, Drawing]] = {urls.SITE_SHARE_IMAGE: (site.fingerprint(fonts), site)}
    fonts = tuple(fonts)
    state = files_state((*fonts, emblem))  # a changed font or emblem is a new key for every drawing
    for entry in entries:
        out.update(_entry_drawings(entry, vocab, site_name, site_url, covers.get(entry.source, ("", "")), fonts,
                                   emblem, state))
    return out


@Derived
def _entry_drawings(entry: Entry, vocab: Vocabulary, site_name: str, site_url: str, cover: tuple[str, str],
                    fonts: tuple[str, ...], emblem: str, _state: tuple[str, ...]) -> dict[str, tuple[str, Drawing]]:
    """An entry's square and poster (site path -> (cache key, spec)): kept while the entry is unchanged."""
    square = square_spec(entry, vocab, site_name, *cover, emblem)
    poster = poster_spec(entry, vocab, site_name, site_url + entry.url, emblem)
    return {urls.share_image(entry.kind, entry.slug): (square.fingerprint(fonts), square),
            poster_path(entry): (poster.fingerprint(fonts), poster)}
