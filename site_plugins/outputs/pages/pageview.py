"""The page view model: what the templates show for one page (`rc` in the templates).

Structured data, meta tags, the entry's facts in Chinese and the preview
banner (the URLs templates link to are the template global `urls`). Pure data in, a dict out;
pipeline/views.py adds the rest of a page's view (cover, feeds, listing) and escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup

from site_plugins import urls
from site_plugins.content.dates import zh_date, zh_datetime
from site_plugins.content.schema import Audio, Lecture, Story, withheld_reason
from site_plugins.content.vocabulary import Vocabulary
from site_plugins.media.audio import FORMAT_LABELS, megabytes, zh_duration
from site_plugins.outputs.pages.seo import SiteInfo, dump, entry_jsonld, share_meta, site_jsonld, social_meta
from site_plugins.outputs.published import Published


@dataclass(frozen=True)
class PageInfo:
    """What the site engine knows of a page."""

    url: str  # site path, e.g. stories/x/
    title: str
    description: str
    is_homepage: bool = False


def banner(entry: Story | Lecture, now: datetime) -> str:
    """The preview banner of an entry the public site does not show yet ("" if it does)."""
    reason = withheld_reason(entry, now)
    if reason == "草稿":
        return "草稿：此页只在预览中显示，不会发布。"
    if reason:
        return f"定时发布：此页将于 {zh_date(entry.date)} 起出现在正式网站。"
    return ""


def share_image(entry: Story | Lecture, site: SiteInfo, published: Published) -> str | None:
    """Absolute URL of the page's share image: its social image, else its cover."""
    if entry.source in published.social_images:
        return site.absolute(published.social_images[entry.source])
    if entry.cover is None:
        return None
    return site.absolute(published.image_url.get(entry.cover.src, entry.cover.src))


def share_image_alt(entry: Story | Lecture, site: SiteInfo, published: Published) -> str:
    """Alt text of the share image: the social image shows the title; a bare cover has its own alt."""
    if entry.source in published.social_images:
        return f"{site.name}分享图：{entry.title}"
    return entry.cover.alt if entry.cover else ""


def page_view(page: PageInfo, entry: Story | Lecture | None, site: SiteInfo, vocab: Vocabulary,
              now: datetime, published: Published) -> dict[str, Any]:
    """The `rc` template data of a page."""
    url = site.absolute(page.url)
    if entry is None:
        jsonld = site_jsonld(site) if page.is_homepage else None
        title, description = page.title or site.name, page.description or site.description
        square = site.absolute(published.site_square) if published.site_square else None
        return {"entry": None, "jsonld": Markup(dump(jsonld)) if jsonld else "",
                "meta": social_meta(title, description, url, site, site.logo) + share_meta(title, description, square)}
    image = share_image(entry, site, published)
    square = published.squares.get(entry.source)
    story = entry.kind == "story"
    view: dict[str, Any] = {
        "entry": entry, "kind": entry.kind,
        "date": zh_date(entry.date),
        "updated": zh_date(entry.updated) if entry.updated else "",
        "tags": [vocab[t] for t in entry.tags],
        "jsonld": Markup(dump(entry_jsonld(entry, site, vocab, image))),  # JSON for <script>, not text
        "meta": social_meta(entry.title, entry.summary, url, site, image, "article" if story else "website",
                            entry.date if story else None, image_alt=share_image_alt(entry, site, published))
        + share_meta(entry.title, entry.summary, site.absolute(square) if square else None),
        "banner": banner(entry, now),
    }
    if entry.source in published.posters:  # the 分享 button (partials/rc-entry.html)
        view["share"] = {"poster": urls.relative(published.posters[entry.source], page.url), "url": url,
                         "alt": f"分享海报：{entry.title}"}
    if isinstance(entry, Lecture):
        view.update(_lecture(entry, published.audio.get(entry.source), page.url, now))
    return view


def _lecture(lecture: Lecture, audio: Audio | None, page_url: str, now: datetime) -> dict[str, Any]:
    view: dict[str, Any] = {
        "when": zh_datetime(lecture.date),
        "until": f"{lecture.end:%H:%M}" if lecture.end else "",
        "upcoming": lecture.is_upcoming(now),
    }
    if audio is not None:  # what the build published (or a recording hosted elsewhere)
        absolute = audio.url.startswith("https://")
        view["recording_url"] = audio.url if absolute else urls.relative(audio.url, page_url)
        view["recording_format"] = FORMAT_LABELS.get(audio.mime, "")
        view["recording_duration"] = zh_duration(audio.seconds)
        view["recording_seconds"] = audio.whole_seconds
        view["recording_size"] = megabytes(audio.bytes)
    if lecture.slides:
        view["slides_url"] = urls.relative(lecture.slides, page_url)
    return view
