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
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneStandard

from site_plugins import urls
from site_plugins.content.dates import SHANGHAI
from site_plugins.content.reuse import value_digest, valued
from site_plugins.content.schema import Lecture, is_public
from site_plugins.outputs.pages.seo import SiteInfo

TZID = "Asia/Shanghai"
PRODID = "-//Red Cross Lecture Hall//rc-lecture-hall//ZH"
DEFAULT_MINUTES = 90  # the schema's default length when a lecture gives neither duration nor end
CANCELLED_PREFIX = "【已取消】"
# Asia/Shanghai's last change of offset (the end of daylight saving) was in September 1991.
STABLE_SINCE = 1992


def event_uid(lecture: Lecture, site: SiteInfo) -> str:
    """A UID that never changes: the lecture's permanent id at the site's host."""
    return f"{lecture.id.lower()}@{urlsplit(site.url).hostname}"


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


def _event_bytes(lecture: Lecture, site: SiteInfo, reminder: int) -> bytes:
    """A lecture's VEVENT, a function of these three alone: scripts/build keeps it on disk by their digest
    (reuse.valued; 600 events took 1.6 s at 3,000 stories)."""
    return valued("calendar event", value_digest((lecture, site, reminder)),
                  lambda: _event(lecture, site, reminder).to_ical())


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


def _head(name: str = "", description: str = "") -> tuple[bytes, bytes]:
    """The VCALENDAR lines before its components, and its END line."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", TZID)
        cal.add("x-wr-caldesc", description)
    text = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert text.endswith(end)
    return text[: -len(end)], end


@lru_cache(maxsize=64)
def _vtimezone(first: int, last: int) -> bytes:
    """The VTIMEZONE for lectures from `first` to `last` - 2 (content, not the clock, sets the years);
    Shanghai has kept +08:00 without daylight saving since 1991, so the rule holds after it.

    icalendar's `Timezone.from_tzid` takes about 0.03 s a range (it walks the zone's
    transitions); from 1992 on the zone has none, and the component it gives is one
    STANDARD period, written here directly (tests/test_ical.py: the same bytes)."""
    if first < STABLE_SINCE:
        return Timezone.from_tzid(TZID, first_date=date(first, 1, 1), last_date=date(last, 1, 1)).to_ical()
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add("comment", f"This timezone only works from {first}-01-01 to {last}-01-01.")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(first, 1, 1))
    standard.add("tzname", "CST")
    standard.add("tzoffsetfrom", timedelta(hours=8))
    standard.add("tzoffsetto", timedelta(hours=8))
    zone.add_component(standard)
    return zone.to_ical()


def _zone_for(lectures: list[Lecture]) -> bytes:
    years = [lec.date.year for lec in lectures] or [2000]
    return _vtimezone(min(years), max(years) + 2)


_EVENTS: dict[int, tuple[Lecture, tuple[SiteInfo, int], bytes]] = {}  # id -> (lecture, its inputs, its VEVENT)


def calendars(lectures: Iterable[Lecture], site: SiteInfo, reminder: int = 1440) -> tuple[bytes, dict[str, bytes]]:
    """calendar.ics of `lectures` (drafts left out, by start time) and each lecture's own file by site path.

    Each VEVENT is serialised once and the same bytes go into both files, so a lecture's file
    holds exactly its event in the subscription (same UID, same everything).
    """
    # The one publication rule; a lecture's does not depend on the clock, so its own start serves as `now`.
    chosen = sorted((lec for lec in lectures if is_public(lec, lec.date)), key=lambda lec: (lec.date, lec.id))
    global _EVENTS
    kept, _EVENTS = _EVENTS, {}
    for lec in chosen:  # an unchanged lecture (the same object) keeps its bytes: the preview's rebuilds
        old = kept.get(id(lec))
        _EVENTS[id(lec)] = old if old is not None and old[0] is lec and old[1] == (site, reminder) else \
            (lec, (site, reminder), _event_bytes(lec, site, reminder))
    events = {lec.source: _EVENTS[id(lec)][2] for lec in chosen}
    head, end = _head(f"{site.name} · 讲座", f"{site.name}的讲座日程：{site.absolute(urls.LECTURES)}")
    whole = head + _zone_for(chosen) + b"".join(events.values()) + end
    head, end = _head()
    own = {urls.lecture_event(lec.slug): head + _zone_for([lec]) + events[lec.source] + end for lec in chosen}
    return whole, own


def calendar(lectures: Iterable[Lecture], site: SiteInfo, reminder: int = 1440) -> bytes:
    """The .ics bytes of `lectures` (drafts are left out), sorted by start time; `reminder` in minutes."""
    return calendars(lectures, site, reminder)[0]


def event_file(lecture: Lecture, site: SiteInfo, reminder: int = 1440) -> bytes:
    """The .ics bytes of one lecture: the same VEVENT (same UID) as in calendar.ics."""
    return calendars([lecture], site, reminder)[1][urls.lecture_event(lecture.slug)]
