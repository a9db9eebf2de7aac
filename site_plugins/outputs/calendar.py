"""Lectures -> an iCalendar (.ics) file (icalendar), for Apple, Outlook, Google and phone calendars.

One VEVENT per published lecture, held or upcoming; a cancelled lecture stays
as STATUS:CANCELLED so that subscribed calendars drop or strike it. Each
lecture also gets a file of its own (the 加入日历 link) with the same VEVENT
and UID, so a phone that imported it updates that event when the file is
opened again. Every value comes from the content (DTSTAMP is the lecture's
`revised`: its last change or announcement), so the same content gives the same bytes whatever the clock: the
reminder (VALARM) is on every lecture that is not cancelled, since a calendar
never rings for a past event.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, timedelta
from urllib.parse import urlsplit

from icalendar import Alarm, Calendar, Event, Timezone

from site_plugins.content.dates import SHANGHAI
from site_plugins.content.schema import Lecture
from site_plugins.outputs.seo import SiteInfo

TZID = "Asia/Shanghai"
PRODID = "-//Red Cross Lecture Hall//rc-lecture-hall//ZH"
DEFAULT_MINUTES = 90  # the schema's default length when a lecture gives neither duration nor end
CANCELLED_PREFIX = "【已取消】"


def event_uid(lecture: Lecture, site: SiteInfo) -> str:
    """A UID that never changes: the lecture's permanent id at the site's host."""
    return f"{lecture.id.lower()}@{urlsplit(site.url).hostname}"


def event_path(lecture: Lecture) -> str:
    """Site path of a lecture's own .ics file, beside its page."""
    return f"{lecture.url}{lecture.slug}.ics"


def reminder_text(minutes: int) -> str:
    """How long before the start the reminder rings, in Chinese ("1 天", "2 小时", "30 分钟"); "" for none."""
    if minutes <= 0:
        return ""
    if minutes % 1440 == 0:
        return f"{minutes // 1440} 天"
    if minutes % 60 == 0:
        return f"{minutes // 60} 小时"
    return f"{minutes} 分钟"


def _alarm(lecture: Lecture, minutes: int) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(minutes=-minutes))
    alarm.add("description", f"讲座提醒：{lecture.title}（{reminder_text(minutes)}后开始）")
    return alarm


def _event(lecture: Lecture, site: SiteInfo, reminder: int) -> Event:
    url = site.absolute(lecture.url)
    end = lecture.end or lecture.date + timedelta(minutes=DEFAULT_MINUTES)
    event = Event()
    event.add("uid", event_uid(lecture, site))
    # RFC 5545 wants DTSTAMP in UTC; the last change (never the future start) keeps it reproducible.
    event.add("dtstamp", lecture.revised.astimezone(UTC))
    event.add("last-modified", lecture.revised.astimezone(UTC))
    event.add("dtstart", lecture.date.astimezone(SHANGHAI))
    event.add("dtend", end.astimezone(SHANGHAI))
    event.add("summary", (CANCELLED_PREFIX if lecture.cancelled else "") + lecture.title)
    event.add("location", ", ".join(p for p in (lecture.venue, lecture.city) if p))
    lines = ["本场讲座已取消。"] if lecture.cancelled else []
    speakers = "、".join(s.name for s in lecture.speakers)
    if speakers:
        lines.append(f"主讲：{speakers}")
    lines += [lecture.summary, url]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("url", url)
    event.add("status", "CANCELLED" if lecture.cancelled else "CONFIRMED")
    # A cancellation is a revision: a calendar that imported the file replaces its copy.
    event.add("sequence", 1 if lecture.cancelled else 0)
    event.add("transp", "TRANSPARENT" if lecture.cancelled else "OPAQUE")
    if reminder > 0 and not lecture.cancelled:
        event.add_component(_alarm(lecture, reminder))
    return event


def _calendar() -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    return cal


def _timezone(cal: Calendar, lectures: list[Lecture]) -> None:
    # The VTIMEZONE covers the years the lectures span (content, not the clock, sets them);
    # Shanghai has kept +08:00 without daylight saving since 1991, so the rule holds after it.
    years = [lec.date.year for lec in lectures] or [2000]
    cal.add_component(Timezone.from_tzid(TZID, first_date=date(min(years), 1, 1),
                                         last_date=date(max(years) + 2, 1, 1)))


def calendar(lectures: Iterable[Lecture], site: SiteInfo, reminder: int = 1440) -> bytes:
    """The .ics bytes of `lectures` (drafts are left out), sorted by start time; `reminder` in minutes."""
    chosen = sorted((lec for lec in lectures if not lec.draft), key=lambda lec: (lec.date, lec.id))
    cal = _calendar()
    cal.add("x-wr-calname", f"{site.name} · 讲座")
    cal.add("x-wr-timezone", TZID)
    cal.add("x-wr-caldesc", f"{site.name}的讲座日程：{site.absolute('lectures/')}")
    _timezone(cal, chosen)
    for lecture in chosen:
        cal.add_component(_event(lecture, site, reminder))
    return cal.to_ical()


def event_file(lecture: Lecture, site: SiteInfo, reminder: int = 1440) -> bytes:
    """The .ics bytes of one lecture: the same VEVENT (same UID) as in calendar.ics."""
    cal = _calendar()
    _timezone(cal, [lecture])
    cal.add_component(_event(lecture, site, reminder))
    return cal.to_ical()
