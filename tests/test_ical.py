"""The lecture calendar read as a calendar app reads it (icalendar)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from site_plugins.content.catalog import Edition

from .conftest import SiteMaker

pytestmark = pytest.mark.build

SITE_URL = "https://lecture.example.org/"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def read(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


@pytest.fixture(scope="module")
def lectures(make_shared_site) -> SiteMaker:  # type: ignore[no-untyped-def]
    """`lecture_site`, built once: the tests read it, or change a copy of it."""
    s = lecture_site(make_shared_site)
    s.build()
    return s


def lecture_site(make_site):  # type: ignore[no-untyped-def]
    s = make_site()
    s.lecture("held", title="心肺复苏入门", date="2026-03-10 14:30",
              extra="summary: 教大家做胸外按压。\nupdated: 2026-03-12\n")
    s.lecture("soon", title="家庭急救常识", date="2026-12-10 09:00", extra="end: 2026-12-10 11:30\n")
    s.lecture("off", title="取消的讲座", date="2026-05-01 09:00", extra="cancelled: true\n")
    s.lecture("hidden", title="草稿讲座", date="2026-06-01 09:00", extra="draft: true\n")
    s.story("a-story", title="一个故事")
    return s


def test_one_event_per_published_lecture_with_its_details(lectures: SiteMaker) -> None:
    s = lectures
    cal = read(s.site / "lectures" / "calendar.ics")
    assert str(cal["version"]) == "2.0" and str(cal["prodid"])
    events = cal.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["心肺复苏入门", "【已取消】取消的讲座", "家庭急救常识"]
    assert "草稿" not in (s.site / "lectures" / "calendar.ics").read_text("utf-8")
    held, off, soon = events
    assert str(held["uid"]) == f"{uuid.uuid5(uuid.NAMESPACE_URL, 'lecture/held')}@lecture.example.org"
    assert len({str(e["uid"]) for e in events}) == 3
    start = held.decoded("dtstart")
    assert start == datetime(2026, 3, 10, 14, 30, tzinfo=SHANGHAI)
    assert held["dtstart"].params["TZID"] == "Asia/Shanghai"
    assert held.decoded("dtend") - start == timedelta(minutes=90)
    assert soon.decoded("dtend") == datetime(2026, 12, 10, 11, 30, tzinfo=SHANGHAI)
    # DTSTAMP is the record's last change (in UTC, as RFC 5545 asks), not the time of the build
    assert held.decoded("dtstamp") == datetime(2026, 3, 11, 16, 0, tzinfo=UTC)
    assert str(held["location"]) == "培训教室, 太原"
    assert "教大家做胸外按压。" in str(held["description"])
    assert SITE_URL + "lectures/held/" in str(held["description"])
    assert str(held["url"]) == SITE_URL + "lectures/held/"
    assert str(held["status"]) == "CONFIRMED" and str(soon["status"]) == "CONFIRMED"
    assert str(off["status"]) == "CANCELLED" and "已取消" in str(off["description"])
    # the zone every DTSTART names is defined in the file itself
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert cal.get_missing_tzids() == set()


def test_uid_survives_a_new_title_and_file_name(lectures: SiteMaker, tmp_path: Path) -> None:
    s = lectures.copy(tmp_path / "site")
    before = {str(e["summary"]): str(e["uid"]) for e in read(s.site / "lectures" / "calendar.ics").walk("VEVENT")}
    index = s.content / "lectures" / "held" / "index.md"
    moved = s.content / "lectures" / "held-renamed" / "index.md"
    moved.parent.mkdir()
    moved.write_text(index.read_text("utf-8").replace("心肺复苏入门", "心肺复苏与AED入门"), "utf-8")
    index.unlink()
    index.parent.rmdir()
    s.build()
    after = {str(e["summary"]): (str(e["uid"]), str(e["url"]))
             for e in read(s.site / "lectures" / "calendar.ics").walk("VEVENT")}
    assert after["心肺复苏与AED入门"] == (before["心肺复苏入门"], SITE_URL + "lectures/held-renamed/")


def test_sample_calendar_has_every_published_lecture(sample_site: Path, sample_edition: Edition) -> None:
    published = sample_edition.lectures
    cal = read(sample_site / "lectures" / "calendar.ics")
    events = cal.walk("VEVENT")
    assert len(events) == len(published) >= 1
    assert {str(e["uid"]).split("@")[0] for e in events} == {lec.id.lower() for lec in published}
    starts = [e.decoded("dtstart") for e in events]
    assert starts == sorted(starts)
    for event, lecture in zip(events, sorted(published, key=lambda lec: (lec.date, lec.id)), strict=True):
        assert str(event["url"]) == SITE_URL + lecture.url
        assert str(event["location"]).startswith(lecture.venue)
        assert str(event["status"]) == ("CANCELLED" if lecture.cancelled else "CONFIRMED")


# --- one lecture, one tap: the file behind 加入日历 ---------------------------------------------------


def test_each_lecture_has_its_own_file_with_the_same_uid(lectures: SiteMaker) -> None:
    import vobject
    from bs4 import BeautifulSoup

    s = lectures
    events = {str(e["uid"]): e for e in read(s.site / "lectures" / "calendar.ics").walk("VEVENT")}
    for slug in ("held", "soon", "off"):
        raw = (s.site / "lectures" / slug / f"{slug}.ics").read_bytes()
        [event] = Calendar.from_ical(raw).walk("VEVENT")
        assert str(event["uid"]) in events
        twin = events[str(event["uid"])]
        assert event.to_ical() == twin.to_ical()  # the very same VEVENT as in the subscription
        parsed = vobject.readOne(raw.decode("utf-8"))  # a second, independent reader
        assert parsed.vevent.uid.value == str(event["uid"])
        assert parsed.vevent.dtstart.value == event.decoded("dtstart")
        page = BeautifulSoup((s.site / "lectures" / slug / "index.html").read_text("utf-8"), "html.parser")
        box = page.select_one(".rc-addcal")
        assert box.select_one("a.rc-button")["href"] == f"{slug}.ics"
        assert box.find("a", href="webcal://lecture.example.org/lectures/calendar.ics")
    assert not (s.site / "lectures" / "hidden").exists()


def test_upcoming_lectures_remind_a_day_before_and_cancelled_ones_do_not(lectures: SiteMaker) -> None:
    import vobject

    s = lectures
    soon = Calendar.from_ical((s.site / "lectures/soon/soon.ics").read_bytes()).walk("VEVENT")[0]
    [alarm] = soon.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY" and alarm.decoded("trigger") == -timedelta(days=1)
    assert "家庭急救常识" in str(alarm["description"])
    assert vobject.readOne((s.site / "lectures/soon/soon.ics").read_text("utf-8")).vevent.valarm.trigger.value \
        == -timedelta(days=1)
    off = Calendar.from_ical((s.site / "lectures/off/off.ics").read_bytes()).walk("VEVENT")[0]
    assert str(off["status"]) == "CANCELLED" and int(off["sequence"]) == 1 and off.walk("VALARM") == []
    assert str(off["uid"]) == f"{uuid.uuid5(uuid.NAMESPACE_URL, 'lecture/off')}@lecture.example.org"
    page = (s.site / "lectures/soon/index.html").read_text("utf-8")
    assert "开始前 1 天提醒" in page
    assert "更新日历：本场已取消" in (s.site / "lectures/off/index.html").read_text("utf-8")


def test_a_cancellation_keeps_the_uid_of_the_imported_event(lectures: SiteMaker, tmp_path: Path) -> None:
    s = lectures.copy(tmp_path / "site")
    before = Calendar.from_ical((s.site / "lectures/soon/soon.ics").read_bytes()).walk("VEVENT")[0]
    index = s.content / "lectures" / "soon" / "index.md"
    index.write_text(index.read_text("utf-8").replace("city: 太原\n", "city: 太原\ncancelled: true\nupdated: 2026-11-28\n"),
                     "utf-8")
    s.build()
    after = Calendar.from_ical((s.site / "lectures/soon/soon.ics").read_bytes()).walk("VEVENT")[0]
    assert str(after["uid"]) == str(before["uid"])
    assert str(after["status"]) == "CANCELLED" and int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("dtstamp") > before.decoded("dtstamp")


def test_the_reminder_is_configurable(lectures: SiteMaker, tmp_path: Path) -> None:
    s = lectures.copy(tmp_path / "site")
    config = s.config.read_text(encoding="utf-8")
    s.config.write_text(config.replace("  - rc-feeds:\n", "  - rc-feeds:\n      reminder: 120\n"), "utf-8")
    s.build()
    soon = Calendar.from_ical((s.site / "lectures/soon/soon.ics").read_bytes()).walk("VEVENT")[0]
    assert soon.walk("VALARM")[0].decoded("trigger") == -timedelta(hours=2)
    assert "开始前 2 小时提醒" in (s.site / "lectures/soon/index.html").read_text("utf-8")
    s.config.write_text(config.replace("  - rc-feeds:\n", "  - rc-feeds:\n      reminder: 0\n"), "utf-8")
    s.build()
    assert b"VALARM" not in (s.site / "lectures/calendar.ics").read_bytes()


@pytest.mark.parametrize(("first", "last"), [(1992, 1995), (2019, 2028), (2026, 2028), (1985, 1993)])
def test_the_time_zone_written_directly_is_icalendars_own(first: int, last: int) -> None:
    from datetime import date

    from icalendar import Timezone

    from site_plugins.outputs.feeds.calendar import TZID, _vtimezone

    expected = Timezone.from_tzid(TZID, first_date=date(first, 1, 1), last_date=date(last, 1, 1)).to_ical()
    assert _vtimezone(first, last) == expected
