"""Dates the way the site needs them: Asia/Shanghai, parsed strictly, shown in Chinese."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_DATE_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?$"
)
_WEEKDAYS = "一二三四五六日"


class DateError(ValueError):
    """A date that cannot exist, or that is not written as a date."""


def parse_when(value: object) -> tuple[datetime, bool]:
    """Parse a front-matter date; return (aware datetime, whether a time was given).

    No zone means Asia/Shanghai. Raises DateError with a Chinese explanation.
    """
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
        return dt.astimezone(SHANGHAI), True
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), SHANGHAI), False
    match = _DATE_RE.match(str(value).strip())
    if not match:
        raise DateError(f"“{value}”不是日期。请写成 2026-03-05 或 2026-03-05 09:30。")
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
    except ValueError:
        raise DateError(
            f"“{value}”这一天不存在（{year}年{int(month)}月没有{int(day)}日或没有该月份）。"
            "请改为真实日期，例如 2026-03-05。"
        ) from None
    if hour is None:
        return datetime.combine(day_value, time(0, 0), SHANGHAI), False
    try:
        clock = time(int(hour), int(minute), int(second or 0))
    except ValueError:
        raise DateError(f"“{value}”中的时间不存在。请写成 24 小时制，例如 14:30。") from None
    if zone:
        stamp = f"{day_value.isoformat()}T{clock.isoformat()}{'+00:00' if zone == 'Z' else zone}"
        return datetime.fromisoformat(stamp).astimezone(SHANGHAI), True
    return datetime.combine(day_value, clock, SHANGHAI), True


def zh_date(dt: datetime | date) -> str:
    """2026年3月5日"""
    return f"{dt.year}年{dt.month}月{dt.day}日"


def zh_datetime(dt: datetime) -> str:
    """2026年3月5日（星期四）14:30"""
    local = dt.astimezone(SHANGHAI)
    return f"{zh_date(local)}（星期{_WEEKDAYS[local.weekday()]}）{local:%H:%M}"


def zh_day(dt: datetime) -> str:
    """2026年3月5日（星期四）: the day of `dt` in Asia/Shanghai, with its weekday."""
    local = dt.astimezone(SHANGHAI)
    return f"{zh_date(local)}（星期{_WEEKDAYS[local.weekday()]}）"


def zh_time_range(start: datetime, end: datetime | None) -> str:
    """2026年3月5日（星期四）14:30–16:00; an end on another day shows its date and weekday too."""
    first = zh_datetime(start)
    if end is None:
        return first
    last = end.astimezone(SHANGHAI)
    if last.date() == start.astimezone(SHANGHAI).date():
        return f"{first}–{last:%H:%M}"
    return f"{first}–{zh_datetime(last)}"


def build_time(environ: dict[str, str] | None = None) -> datetime:
    """The build's 'now': SITE_BUILD_TIME (ISO) or SOURCE_DATE_EPOCH if set, else the clock.

    It decides what is published (scheduled stories, upcoming lectures); it is
    never written into the output, so the same content builds the same bytes.
    """
    env = os.environ if environ is None else environ
    if env.get("SITE_BUILD_TIME"):
        return parse_when(env["SITE_BUILD_TIME"])[0]
    if env.get("SOURCE_DATE_EPOCH"):
        return datetime.fromtimestamp(int(env["SOURCE_DATE_EPOCH"]), UTC).astimezone(SHANGHAI)
    return datetime.now(SHANGHAI)


def zh_limit(seconds: float) -> str:
    """A time limit as a message states it: 30 分钟, 2 小时, 90 秒."""
    whole = round(seconds)
    if whole >= 3600 and whole % 3600 == 0:
        return f"{whole // 3600} 小时"
    return f"{whole // 60} 分钟" if whole >= 60 and whole % 60 == 0 else f"{whole} 秒"
