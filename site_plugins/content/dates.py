"""Dates the way the site needs them: Asia/Shanghai, parsed strictly, shown in Chinese.

Editors type dates the Chinese way (2025年1月1日 下午2:30), with dots or slashes
(2025.1.1, 2025/1/1) and with a Chinese keyboard's full-width digits and colon.
`read_when` accepts every form that has one reading and says what to write
instead (`scripts/check --fix` writes it); a form with two readings (1/2/2025,
25.1.2) is refused with both, and a date that cannot exist with the value to
write wherever one follows from what was typed.
"""

from __future__ import annotations

import calendar
import os
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_DATE_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?$"
)
# 2025年1月1日, 2025.1.1, 2025/1/1, then maybe a weekday and a time of day.
_TYPED_RE = re.compile(r"^(\d{4})(?:\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]|([./])(\d{1,2})\4(\d{1,2}))"
                       r"\s*(?:[(（](?:星期|周|礼拜)([一二三四五六日天])[)）])?\s*(.*)$")
_CLOCK_RE = re.compile(r"^(上午|早上|凌晨|中午|下午|晚上)?\s*(\d{1,2})"
                       r"(?::(\d{2})(?::(\d{2}))?|[时点](?:(\d{1,2})分?|(半))?)$")
# Three numbers with a year of two digits or at the end: 1/2/2025, 25.1.2, 2.1.25.
_OTHER_ORDER_RE = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{1,2}|\d{4})$")
_WEEKDAYS = "一二三四五六日"


class DateError(ValueError):
    """A date that cannot exist, or that is not written as a date."""


def read_when(value: object) -> tuple[datetime, bool, str]:
    """Parse a front-matter date: (aware datetime, whether a time was given, the ISO text to write).

    The ISO text is "" when the value is already written the site's way. No zone
    means Asia/Shanghai. Raises DateError with a Chinese explanation.
    """
    if isinstance(value, datetime):
        dt = value if value.tzinfo else value.replace(tzinfo=SHANGHAI)
        return dt.astimezone(SHANGHAI), True, ""
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), SHANGHAI), False, ""
    typed = str(value).strip()
    text = unicodedata.normalize("NFKC", typed)  # full-width digits, colon, slash, space
    if match := _DATE_RE.match(text):
        when, has_time = _iso(typed, match)
        return when, has_time, "" if text == typed else text  # full-width digits: the same text in ASCII
    if match := _TYPED_RE.match(text):
        year, month, day = (int(g) for g in (match[1], match[2] or match[5], match[3] or match[6]))
        day_value = _day(typed, year, month, day)
        if match[7] and _WEEKDAYS.index(match[7].replace("天", "日")) != day_value.weekday():
            raise DateError(f"“{typed}”：{zh_date(day_value)}是星期{_WEEKDAYS[day_value.weekday()]}，不是星期{match[7]}。"
                            f"请核对日期，确认后写成 {day_value}（不写星期）。")
        clock = _clock(typed, match[8].strip()) if match[8].strip() else None
        if clock is not None and clock >= timedelta(days=1):
            raise DateError(f"“{typed}”中的 24 点请写成第二天的 00:00：{day_value + timedelta(days=1)} 00:00。")
        when = datetime.combine(day_value, time(0, 0), SHANGHAI) + (clock or timedelta())
        return when, clock is not None, _written(when, clock is not None)
    raise DateError(_not_a_date(typed, text))


def parse_when(value: object) -> tuple[datetime, bool]:
    """`read_when` without the text to write: (aware datetime, whether a time was given)."""
    when, has_time, _ = read_when(value)
    return when, has_time


def _iso(typed: str, match: re.Match[str]) -> tuple[datetime, bool]:
    year, month, day, hour, minute, second, zone = match.groups()
    day_value = _day(typed, int(year), int(month), int(day))
    if hour is None:
        return datetime.combine(day_value, time(0, 0), SHANGHAI), False
    if int(hour) == 24 and int(minute) == 0 and not second:
        raise DateError(f"“{typed}”中的 24:00 请写成第二天的 00:00：{day_value + timedelta(days=1)} 00:00。")
    try:
        clock = time(int(hour), int(minute), int(second or 0))
    except ValueError:
        raise DateError(f"“{typed}”中的时间不存在。请写成 24 小时制，例如 14:30。") from None
    if zone:
        stamp = f"{day_value.isoformat()}T{clock.isoformat()}{'+00:00' if zone == 'Z' else zone}"
        return datetime.fromisoformat(stamp).astimezone(SHANGHAI), True
    return datetime.combine(day_value, clock, SHANGHAI), True


def _day(typed: str, year: int, month: int, day: int) -> date:
    """The day, or DateError saying why it cannot exist and, where it follows, what to write."""
    try:
        return date(year, month, day)
    except ValueError:
        pass
    if month > 12 and 1 <= day <= 12:
        hint = f"月和日是不是写反了？那样应写 {date(year, day, month)}。"
    elif 1 <= month <= 12 and day > 0:
        last = calendar.monthrange(year, month)[1]
        hint = f"{year}年{month}月只有 {last} 天（最后一天是 {date(year, month, last)}）。请改为真实日期。"
    else:
        hint = "请改为真实日期，例如 2026-03-05。"
    raise DateError(f"“{typed}”这一天不存在（{year}年{month}月没有{day}日或没有该月份）。{hint}")


def _clock(typed: str, text: str) -> timedelta:
    """A time of day as typed (14:30, 14时30分, 下午2:30, 下午2点半) since midnight; DateError if unclear."""
    match = _CLOCK_RE.match(text)
    if not match:
        raise DateError(f"“{typed}”中的时间“{text}”看不懂。请写成 24 小时制，例如 2026-03-05 14:30。")
    part, hour, minute = match[1], int(match[2]), int(match[3] or match[5] or (30 if match[6] else 0))
    second = int(match[4] or 0)
    if minute > 59 or second > 59 or hour > 24 or (hour == 24 and minute + second):
        raise DateError(f"“{typed}”中的时间不存在。请写成 24 小时制，例如 14:30。")
    if part and hour <= 12:
        readings = _part_of_day(part, hour)
        if len(readings) != 1:
            both = " 或 ".join(f"{h:02d}:{minute:02d}" for h in readings)
            raise DateError(f"“{typed}”中的“{part}{hour}点”可以读成 {both}。请写成 24 小时制，例如 {readings[0]:02d}:{minute:02d}。")
        hour = readings[0]
    elif part in ("上午", "早上", "凌晨") and hour > 12:
        raise DateError(f"“{typed}”中的“{part}”和 {hour} 点对不上。请写成 24 小时制，例如 {hour:02d}:{minute:02d}。")
    return timedelta(hours=hour, minutes=minute, seconds=second)


def _part_of_day(part: str, hour: int) -> list[int]:
    """The 24-hour readings of `hour` o'clock in the part of the day `part` (上午, 下午...)."""
    if part in ("上午", "早上", "凌晨"):
        return [hour] if hour < 12 else [0, 12]
    if part == "中午":
        return [hour + 12] if hour <= 2 else [hour] if hour >= 11 else [hour, hour + 12]
    if part == "下午":
        return [hour + 12] if 1 <= hour < 12 else [12, 0]
    return [hour + 12] if 6 <= hour < 12 else [hour, (hour + 12) % 24]  # 晚上


def _written(when: datetime, has_time: bool) -> str:
    """How the site writes `when`: 2025-01-01 or 2025-01-01 14:30."""
    if not has_time:
        return f"{when:%Y-%m-%d}"
    return f"{when:%Y-%m-%d %H:%M}" + (f":{when:%S}" if when.second else "")


def _not_a_date(typed: str, text: str) -> str:
    """Why `typed` is refused: two readings of an order, the one date it names, or an example."""
    match = _OTHER_ORDER_RE.match(text)
    if match:
        first, second, last = int(match[1]), int(match[3]), match[4]
        if len(last) == 4:  # month/day/year or day/month/year
            candidates = [(int(last), first, second), (int(last), second, first)]
        else:  # 25.1.2: year.month.day 2025-01-02, day.month.year 2002-01-25 or month.day.year
            candidates = [(2000 + first, second, int(last)), (2000 + int(last), second, first),
                          (2000 + int(last), first, second)]
        readings = list(dict.fromkeys(d for y, m, d_ in candidates if (d := _valid(y, m, d_))))
        if len(readings) > 1:
            shown = " 或 ".join(f"{d}（{zh_date(d)}）" for d in readings)
            return f"“{typed}”有{'两三'[len(readings) - 2]}种读法：{shown}。请写成其中一种，例如 {readings[0]}。"
        if readings:
            return f"“{typed}”的年月日顺序不明确，按日期只能是 {readings[0]}（{zh_date(readings[0])}）。请写成 {readings[0]}。"
    if re.fullmatch(r"\d{8}", text) and (day := _valid(int(text[:4]), int(text[4:6]), int(text[6:]))):
        return f"“{typed}”不是日期写法。如果是 {zh_date(day)}，请写成 {day}。"
    return f"“{typed}”不是日期。请写成 2026-03-05 或 2026-03-05 09:30（也可以写 2026年3月5日 14:30）。"


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


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
