"""What a page offers in WeChat's built-in browser instead of the actions WeChat blocks.

WeChat's browser (`MicroMessenger` in its user agent) opens no `webcal:` link,
downloads no .ics file and has no feed reader. A page therefore carries both
versions: the usual action marked `HIDE`, and its replacement marked `ONLY`
(the same facts as selectable text with a 复制 button, and how to open the page
in the system browser). main.html's first script marks <html> with
`rc-wechat` before the first paint and site.css shows one version, so nothing
flashes and other browsers get exactly what they got before; wechat.js wires
the 复制 buttons (`data-rc-copy`). Pure data and HTML text, no MkDocs.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from site_plugins import urls
from site_plugins.content.dates import SHANGHAI, zh_date, zh_datetime
from site_plugins.content.schema import Lecture
from site_plugins.outputs.pages.seo import SiteInfo

ONLY = "rc-wx-only"  # shown only in WeChat
HIDE = "rc-wx-hide"  # hidden in WeChat
OPEN_IN_BROWSER = "右上角 ··· → 在浏览器打开"


def lecture_time(lecture: Lecture) -> str:
    """2026年12月10日（星期四）09:00–10:30, as a reader types it into a calendar."""
    start = zh_datetime(lecture.date)
    if lecture.end is None:
        return start
    end = lecture.end.astimezone(SHANGHAI)
    same_day = end.date() == lecture.date.astimezone(SHANGHAI).date()
    return f"{start}–{end:%H:%M}" if same_day else f"{start}–{_day_and_time(end)}"


def _day_and_time(when: datetime) -> str:
    return f"{zh_date(when)} {when:%H:%M}"


def lecture_place(lecture: Lecture) -> str:
    """The venue, then the city unless the venue already names it."""
    city = "" if lecture.city and lecture.city in lecture.venue else lecture.city
    return "，".join(p for p in (lecture.venue, city) if p)


def calendar_copy(lecture: Lecture, site: SiteInfo) -> dict[str, str]:
    """What 加入日历 shows in WeChat (plain text; the template escapes it): time, place, calendar address."""
    return {"time": lecture_time(lecture), "place": lecture_place(lecture),
            "calendar": site.absolute(urls.CALENDAR), "open": OPEN_IN_BROWSER}


def copyable(text: str, what: str, button: str = "复制网址") -> str:
    """HTML: `text` as selectable text (enough without scripts) and a copy button (shown when scripts run).

    The button's accessible name starts with what it shows (WCAG 2.5.3), then says what it copies;
    search leaves the button out (its words are on every line, and say nothing of the page).
    """
    value = escape(text)
    return (f'<code class="rc-copy__text">{value}</code> <button type="button" class="rc-copy" '
            f'data-rc-copy="{value}" data-pagefind-ignore>{escape(button)}<span class="rc-sr-only">：{escape(what)}</span></button>')


def subscribe_notice() -> str:
    """HTML for the top of /subscribe/ in WeChat: why nothing here opens, and what to do instead (not searched)."""
    return (f'<p class="rc-wxnote {ONLY}" data-pagefind-ignore><strong>您正在微信里浏览。</strong>微信没有订阅（RSS）阅读器，'
            "也不能下载日历文件。请点网址旁的“复制网址”，粘贴到阅读器、播客应用或手机日历里；"
            f"想在手机浏览器里订阅，请点{OPEN_IN_BROWSER}。</p>")
