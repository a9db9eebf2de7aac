"""A lecture's transcript file (WebVTT or plain text) -> Transcript, or Problems naming file and line.

WebVTT is read to the W3C syntax a player accepts (header, cue blocks, NOTE /
STYLE / REGION blocks, `HH:MM:SS.mmm --> ...` timings); voice spans
(`<v 李红梅>`) become the speaker's name before the text, other markup is
dropped. Plain text is split into paragraphs at blank lines.

`cues_beyond` is the one rule for cues that run past the recording; it needs the
recording's real length, so `scripts/check` applies it after ffprobe and the
build after rc-audio has published the file.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from site_plugins.content.frontmatter import clean, decode
from site_plugins.content.problems import Problem
from site_plugins.content.schema import Cue, Lecture, Transcript

FIELD = "transcript"
TYPES = {".vtt": "text/vtt", ".txt": "text/plain"}
# A recording's length is written in whole seconds, so a cue may end up to a second after it.
LENGTH_SLACK = 1.0
_STAMP = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_TIMING_RE = re.compile(rf"^{_STAMP}[ \t]+-->[ \t]+{_STAMP}(?:[ \t]+.*)?$")
_VOICE_RE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]+)>")
_TAG_RE = re.compile(r"</?[^>]*>")
_EXAMPLE = "00:00:05.000 --> 00:00:09.500"


def _seconds(hours: str | None, minutes: str, seconds: str, millis: str) -> float:
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _cue_text(lines: list[str]) -> str:
    """Cue payload as plain text: `<v name>` -> `name：`, other tags dropped, entities decoded."""
    text = _join([line.strip() for line in lines]) if lines else ""
    text = _VOICE_RE.sub(lambda m: f"{m[1].strip()}：", text)
    return html.unescape(_TAG_RE.sub("", text)).strip()


def _vtt(text: str, path: str) -> tuple[list[Cue], list[Problem]]:
    lines = text.split("\n")
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(path, line, FIELD, message))

    first = lines[0] if lines else ""
    if not (first == "WEBVTT" or first.startswith(("WEBVTT ", "WEBVTT\t"))):
        report(1, f"WebVTT 文件第一行必须是 WEBVTT，现在是“{first[:40]}”。请在文件开头加一行 WEBVTT，再空一行。")
        return [], problems
    cues: list[Cue] = []
    index = 1
    while index < len(lines) and lines[index].strip():  # header lines up to the first blank line
        index += 1
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        start = index
        while index < len(lines) and lines[index].strip():
            index += 1
        block = lines[start:index]
        if block[0].startswith(("NOTE", "STYLE", "REGION")) and "-->" not in block[0]:
            continue  # comments and styling, not spoken text
        timing_at = 0 if "-->" in block[0] else 1
        if timing_at >= len(block) or "-->" not in block[timing_at]:
            report(start + 1, f"这一段没有时间行。每段字幕先写时间，例如 {_EXAMPLE}，下一行写文字；段与段之间空一行。")
            continue
        line_no = start + timing_at + 1
        match = _TIMING_RE.match(block[timing_at].strip())
        if not match:
            report(line_no, f"时间行“{block[timing_at].strip()[:60]}”格式不对。请写成 {_EXAMPLE}"
                   "（时:分:秒.毫秒，毫秒三位，箭头两边各一个空格）。")
            continue
        begin, end = _seconds(*match.groups()[:4]), _seconds(*match.groups()[4:])
        if end <= begin:
            report(line_no, "结束时间不晚于开始时间。请检查这一行的两个时间。")
            continue
        spoken = _cue_text(block[timing_at + 1:])
        if spoken:
            cues.append(Cue(spoken, line_no, begin, end))
    if not cues and not problems:
        report(1, f"文件里没有任何字幕段。请在 WEBVTT 之后空一行，写时间行（如 {_EXAMPLE}）和文字。")
    return cues, problems


def _plain(text: str, path: str) -> tuple[list[Cue], list[Problem]]:
    cues: list[Cue] = []
    paragraph: list[str] = []
    first = 0
    for number, line in enumerate([*text.split("\n"), ""], start=1):
        if line.strip():
            if not paragraph:
                first = number
            paragraph.append(line.strip())
        elif paragraph:
            cues.append(Cue(_join(paragraph), first))
            paragraph = []
    if not cues:
        return [], [Problem(path, 1, FIELD, "文字稿是空的。请写入讲座的文字，段与段之间空一行；或删去 transcript 字段。")]
    return cues, []


def _join(lines: list[str]) -> str:
    """Lines an editor wrapped: Chinese joins without a space, Latin words with one."""
    out = lines[0]
    for line in lines[1:]:
        out += ("" if not out[-1].isascii() or not line[0].isascii() else " ") + line
    return out


def read_transcript(path: str, content_dir: Path) -> tuple[Transcript | None, list[Problem]]:
    """Read the transcript at `path` (inside content/)."""
    suffix = Path(path).suffix.lower()
    raw = (content_dir / path).read_bytes()
    text, problem = decode(raw, path)
    if problem is not None or text is None:
        return None, [problem] if problem else []
    text, notices = clean(text, path)  # no code in a transcript: every invisible character goes
    if suffix == ".vtt":
        cues, problems = _vtt(text, path)
    else:
        cues, problems = _plain(text, path)
    if problems:
        return None, problems + notices
    return Transcript(file=path, type=TYPES[suffix], cues=tuple(cues)), notices


def cues_beyond(lecture: Lecture, seconds: float) -> list[Problem]:
    """Cues of the lecture's transcript that end after its recording (`seconds` long) does."""
    if lecture.transcript is None or seconds <= 0:
        return []
    return [Problem(lecture.transcript.file, cue.line, FIELD,
                    f"时间 {_clock(cue.end)} 超出了录音长度 {_clock(seconds)}。请检查这一行的时间，或是否用错了录音文件。")
            for cue in lecture.transcript.cues if cue.end is not None and cue.end > seconds + LENGTH_SLACK]
