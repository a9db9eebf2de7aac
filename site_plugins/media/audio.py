"""Lecture recordings: what a source must be to be published, and how long it really is.

`inspect` is the one owner of the bad-input rules (empty, unreadable format,
undecodable, truncated, longer than allowed): `scripts/check` calls it with
ffprobe alone, and the build calls it before transcoding (media/transcode.py),
so both give the same verdict and message. `duration_verdict` is the one rule
for front matter that states a duration the file does not have.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from site_plugins.content.dates import zh_limit
from site_plugins.content.problems import ref
from site_plugins.content.reuse import Version, file_version

# Bumped whenever media/transcode.py makes other bytes from the same source and settings.
PIPELINE_VERSION = "2"
# What the build publishes (see docs/RECORDINGS.md for why MP3).
PUBLISHED_EXT = "mp3"
PUBLISHED_MIME = "audio/mpeg"
# What an editor may drop into content/ as a recording; none is ever published as it is.
AUDIO_SUFFIXES = (".mp3", ".m4a", ".m4b", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac", ".amr", ".awb",
                  ".silk", ".wma", ".aif", ".aiff", ".3gp", ".caf")
FORMAT_LABELS = {"audio/mpeg": "MP3", "audio/mp4": "M4A", "audio/x-m4a": "M4A", "audio/aac": "AAC"}
NOTICE_SECONDS = 1.0  # front matter is written in whole seconds: less than this is rounding
ERROR_SECONDS = 5.0
# ffprobe warnings that mean the file ends before its own header says it does.
_TRUNCATED = ("partial file", "packet corrupt", "filesize and duration do not match")
_ESTIMATED = "estimating duration from bitrate"
_LEVEL_RE = re.compile(r"\[(panic|fatal|error|warning)\]\s*(.*)$")
# ffmpeg's words for common failures -> what they mean in Chinese, first match wins. Text it says that is
# not here is quoted as it is (the editor can pass it on), so no failure becomes "the file may be corrupt".
UNDECODABLE = "文件中有无法解码的数据（已损坏，或不是扩展名所说的格式）"
_KNOWN = (("No space left on device", "这台电脑的磁盘空间不足"), ("Cannot allocate memory", "这台电脑的内存不足"),
          ("Permission denied", "没有读写文件的权限"),
          ("moov atom not found", "文件不完整：缺少 M4A/MP4 的索引（moov），常见于录音中途停止或没有复制完"),
          ("matches no streams", "文件里没有音频"), ("does not contain any stream", "文件里没有音频"),
          ("Output file is empty", "转换结果是空的：文件里没有可用的声音"), ("Header missing", "文件中有损坏的数据块"),
          ("Invalid data found when processing input", UNDECODABLE), ("Failed to read frame size", UNDECODABLE),
          ("misdetection possible", UNDECODABLE), ("Invalid argument", UNDECODABLE))
MACHINE = frozenset(words for words, _ in _KNOWN[:3])  # the computer's fault, not the file's
_NOISE_RE = re.compile(r"^(Conversion failed!|Exiting normally.*|Press \[q\].*|size=.*|frame=.*|video:.*|"
                       r"Error opening (input|output) files?.*|Error (initializing|while) .*(filter|output).*)$")
_ADDRESS_RE = re.compile(r"^(\[[^\]]*\]\s*)+")  # "[mp3 @ 0x55d…] " and "[in#0/wav @ 0x…] " prefixes


class AudioError(Exception):
    """A recording that cannot be published; `message` is for editors (Chinese)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(kind, message)
        self.kind = kind  # empty, unreadable, corrupt, truncated, too-long, silent, tool
        self.message = message


@dataclass(frozen=True)
class AudioSettings:
    """How recordings are published: MP3, mono, constant bitrate, podcast loudness."""

    bitrate_kbps: int = 64  # speech, mono: transparent enough, 480 kB a minute
    sample_rate: int = 44100
    loudness: float = -16.0  # LUFS integrated, the podcast norm
    true_peak: float = -1.0  # dBTP
    loudness_range: float = 11.0  # LU, loudnorm's default: leaves speech dynamics alone
    # MP3 encoding overshoots the limiter's peaks by up to about 1 dB: the limiter aims this much lower,
    # so the published file, not just loudnorm's output, stays under `true_peak`.
    limiter_headroom: float = 1.0
    max_hours: float = 6.0
    # Seconds one ffprobe or ffmpeg run may take (a hung tool must not hang the build); never part of
    # the bytes, so not of the fingerprint.
    timeout: int = 1800

    def fingerprint(self) -> str:
        """What decides the published bytes (with the ffmpeg version): part of every cache key."""
        return (f"v{PIPELINE_VERSION}:mp3:{self.bitrate_kbps}k:{self.sample_rate}:I{self.loudness}:"
                f"TP{self.true_peak}-{self.limiter_headroom}:LRA{self.loudness_range}")


@dataclass(frozen=True)
class SourceInfo:
    """What ffprobe found in a source recording, after decoding all of it."""

    format: str  # ffprobe's format_name, e.g. ogg, mp3, wav
    codec: str
    channels: int
    sample_rate: int
    bitrate: int  # bits per second, 0 if unknown
    seconds: float  # decoded duration


def run_tool(command: list[str], name: str, doing: str, settings: AudioSettings) -> subprocess.CompletedProcess[str]:
    """Run ffprobe or ffmpeg (`command`) on the recording `name`, for at most `settings.timeout` seconds.

    `doing` says what the tool does to it (读取, 转换…), for the message when the time runs out.
    """
    tool = command[0]
    try:
        return subprocess.run(command, capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL,
                              timeout=settings.timeout)
    except FileNotFoundError as exc:
        raise AudioError("tool", f"找不到 {tool}。请先运行 scripts/install（会用 apt-get 安装 ffmpeg）。") from exc
    except subprocess.TimeoutExpired as exc:  # run() has killed the tool already
        raise AudioError("timeout", f"{tool} {doing}录音“{name}”超过了 {zh_limit(settings.timeout)}的时限"
                         "（mkdocs.yml 中 rc-audio 的 timeout），已停止。文件可能已损坏，或这台电脑太忙："
                         "请重新导出录音后重试，或调大 timeout。") from exc


def tool_summary(stderr: str, path: Path | None = None, name: str = "", lines: int = 2) -> str:
    """The last meaningful lines of ffmpeg's or ffprobe's log, the source's path shown as `name`."""
    kept: list[str] = []
    for raw in stderr.splitlines():
        line = _ADDRESS_RE.sub("", raw.strip())
        if path is not None:
            line = line.replace(str(path), name)
        if line and not _NOISE_RE.match(line) and line not in kept:
            kept.append(line)
    text = "；".join(kept[-lines:])
    return text if len(text) <= 240 else text[:239] + "…"


def explain(tool: str, stderr: str, path: Path | None = None, name: str = "") -> str:
    """What ffmpeg's (or ffprobe's) log says went wrong: in Chinese where its words are known, else its
    last meaningful lines quoted; "" when it said nothing."""
    meaning = next((zh for words, zh in _KNOWN if words in stderr), "")
    if meaning:
        return meaning
    summary = tool_summary(stderr, path, name)
    return f"{tool} 的原话是“{summary}”" if summary else ""


def tool_failure(tool: str, name: str, stderr: str, returncode: int, path: Path | None = None) -> AudioError:
    """ffmpeg's failure on recording `name`: what its own last words say, not one guess for every failure."""
    machine = any(words in stderr for words in MACHINE)
    why = explain(tool, stderr, path, name) or f"{tool} 没有说明原因（退出码 {returncode}）"
    advice = "请检查这台电脑（磁盘、内存、权限）后重新构建。" if machine else "请重新导出为 MP3 或 WAV 后重试。"
    return AudioError("tool" if machine else "corrupt", f"{tool} 无法转换录音“{name}”：{why}。{advice}")


@functools.cache
def ffmpeg_version(settings: AudioSettings) -> str:
    """First line of `ffmpeg -version`: part of every cache key (another encoder, other bytes). Asked once a process."""
    result = run_tool(["ffmpeg", "-hide_banner", "-version"], "（版本信息）", "读取", settings)
    if result.returncode != 0:
        raise AudioError("tool", "ffmpeg 无法运行。请先运行 scripts/install（会用 apt-get 安装 ffmpeg）。")
    return result.stdout.split("\n", 1)[0].strip()


def outside(content: Path, src: str) -> AudioError | None:
    """A recording that is a link leading out of content/, as an error (the build would publish it)."""
    if (content / src).resolve().is_relative_to(content.resolve()):
        return None
    return AudioError("outside", f"录音“{ref(src)}”是指向 content/ 之外的链接。请把录音文件本身复制到 content/ 中。")


_INSPECTED: dict[tuple[str, Version, str, AudioSettings], SourceInfo | AudioError] = {}


def inspect(path: Path, name: str, settings: AudioSettings) -> SourceInfo:
    """Decode `path` with ffprobe and apply every rule a source must meet; `name` is how errors call it.

    Kept for the process while the file is unchanged (`content.reuse.file_version`; the preview checks every recording
    at each edit); a failure of the tool itself or a timeout is tried again the next time.
    """
    try:
        version = file_version(path)
    except OSError:
        return _inspect(path, name, settings)
    key = (str(path), version, name, settings)
    found = _INSPECTED.get(key)
    if found is None:
        try:
            found = _inspect(path, name, settings)
        except AudioError as exc:
            if exc.kind in ("tool", "timeout"):
                raise
            found = exc
        _INSPECTED[key] = found
    if isinstance(found, AudioError):
        raise found
    return found


def _inspect(path: Path, name: str, settings: AudioSettings) -> SourceInfo:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise AudioError("unreadable", f"录音“{name}”读不出来。请检查文件是否存在、是否有读取权限。") from exc
    if size == 0:
        raise AudioError("empty", f"录音“{name}”是空的（0 字节）。请重新导出或重新复制录音。")
    command = ["ffprobe", "-v", "level+warning", "-of", "json=compact=1", "-select_streams", "a:0",
               "-show_entries", "format=format_name,duration,bit_rate:"
               "stream=codec_name,channels,sample_rate,duration,bit_rate:frame=pts_time,nb_samples", str(path)]
    result = run_tool(command, name, "读取", settings)
    logged = [m.groups() for line in result.stderr.splitlines() if (m := _LEVEL_RE.search(line))]
    try:
        data = json.loads(result.stdout or "{}")
    except ValueError:
        data = {}
    streams = data.get("streams") or []
    if result.returncode != 0 or not streams:
        why = explain("ffprobe", result.stderr, path, name)
        detail = f"：{why}" if why and why != UNDECODABLE else ""  # the sentence says that much already
        raise AudioError("unreadable", f"录音“{name}”不是 ffmpeg 能读的音频格式，或文件已损坏{detail}。"
                         "请导出为 MP3、M4A、WAV、FLAC、Ogg 或 AMR 后重试。")
    stream, fmt = streams[0], data.get("format") or {}
    rate = _int(stream.get("sample_rate"))
    frames = data.get("frames") or []
    decoded = sum(_int(f.get("nb_samples")) for f in frames) / rate if rate else 0.0
    # Where the sound stops: a cut file stops early; damage in the middle leaves the end in place.
    last = frames[-1] if frames else {}
    end = _float(last.get("pts_time")) + (_int(last.get("nb_samples")) / rate if rate else 0.0)
    declared = _float(stream.get("duration")) or _float(fmt.get("duration"))
    said = [text.lower() for _level, text in logged]
    estimated = any(_ESTIMATED in w for w in said)  # no length in the header to compare with
    short = not estimated and declared > 0 and declared - end > max(2.0, 0.02 * declared)
    truncated = AudioError("truncated", f"录音“{name}”不完整（文件在结尾前被截断，只能读出 {clock(decoded)}）。"
                           "请重新复制或重新导出完整的文件。")
    if any(t in w for w in said for t in _TRUNCATED) or ("ogg" in str(fmt.get("format_name"))
                                                         and not ogg_complete(path)):
        raise truncated
    if any(level != "warning" for level, _ in logged):
        raise AudioError("corrupt", f"录音“{name}”中有无法解码的数据（文件已损坏或不完整，只能读出 {clock(decoded)}）。"
                         "请重新导出或重新复制录音。")
    if short:
        raise truncated
    if decoded <= 0:
        raise AudioError("silent", f"录音“{name}”里没有可以播放的声音。请检查导出的文件。")
    if decoded > settings.max_hours * 3600:
        raise AudioError("too-long", f"录音“{name}”长 {clock(decoded)}，超过了 {settings.max_hours:g} 小时的上限。"
                         "请把录音剪短，或分成几场讲座发布。")
    bitrate = _int(stream.get("bit_rate")) or _int(fmt.get("bit_rate"))
    return SourceInfo(str(fmt.get("format_name") or ""), str(stream.get("codec_name") or ""),
                      _int(stream.get("channels")), rate, bitrate, decoded)


def ogg_complete(path: Path) -> bool:
    """An Ogg file ends with a whole page flagged end-of-stream (a cut file does not)."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 70_000))  # a page is at most 65,307 bytes
        tail = handle.read()
    at = tail.rfind(b"OggS")
    if at < 0 or len(tail) - at < 27:
        return False
    segments = tail[at + 27: at + 27 + tail[at + 26]]
    if len(segments) < tail[at + 26]:
        return False
    page_end = at + 27 + len(segments) + sum(segments)
    return bool(tail[at + 5] & 0x04) and page_end == len(tail)


def seconds_of(text: str) -> int | None:
    """H:MM:SS (or MM:SS) as seconds; None if it is not such a value."""
    match = re.fullmatch(r"(?:(\d+):)?(\d{1,2}):([0-5]\d)", text.strip())
    if not match:
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def clock(seconds: float) -> str:
    """Seconds as HH:MM:SS, the way front matter writes a duration."""
    whole = round(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def duration_verdict(stated: str, actual: float) -> tuple[str, str] | None:
    """("notice" | "error", Chinese message) when front matter states another duration than the file's."""
    given = seconds_of(stated)
    if not stated or given is None:
        return None
    off = abs(given - actual)
    if off < NOTICE_SECONDS:
        return None
    if off > ERROR_SECONDS:
        return "error", (f"写的时长 {stated} 和录音文件的实际时长 {clock(actual)} 相差 {off:.0f} 秒。"
                         f"请改为 duration: \"{clock(actual)}\"，或删去这一行（时长取自文件）。")
    return "notice", f"写的时长 {stated} 与录音实际时长 {clock(actual)} 略有出入；网站和播客使用实际时长。"


def zh_duration(seconds: float) -> str:
    """A duration for Chinese readers: 17秒, 45分10秒, 1小时05分10秒."""
    whole = round(seconds)
    hours, minutes, secs = whole // 3600, whole % 3600 // 60, whole % 60
    if hours:
        return f"{hours}小时{minutes:02d}分{secs:02d}秒"
    return f"{minutes}分{secs:02d}秒" if minutes else f"{secs}秒"


def megabytes(size: int) -> str:
    """A download size for readers: 28.8 MB (1 MB = 1,000,000 bytes, as podcast apps count)."""
    return f"{max(size / 1e6, 0.1):.1f} MB"


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def _float(value: object) -> float:
    try:
        return float(str(value))
    except ValueError:
        return 0.0
