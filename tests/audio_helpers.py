"""Recordings as editors have them, generated for the tests: ffmpeg, and libopencore-amrnb for AMR.

Debian's ffmpeg decodes AMR-NB but has no AMR encoder; the AMR-NB codec
library (Debian's libopencore-amrnb0, installed by scripts/test) has one,
called here through ctypes, the way a phone writes a voice message.
"""

from __future__ import annotations

import ctypes
import json
import re
import subprocess
from pathlib import Path

# A voice-like test signal: a low tone and pink noise, its level rising and falling like speech.
_SIGNAL = ("sine=f=180:d={d}[a];anoisesrc=d={d}:a=0.3:seed=7:color=pink[b];"
           "[a][b]amix=inputs=2,volume='0.35+0.3*sin(2*PI*2.5*t)':eval=frame")
CODECS = {"wav": ["-c:a", "pcm_s16le"], "ogg": ["-c:a", "libvorbis", "-q:a", "3"],
          "flac": ["-c:a", "flac"], "mp3": ["-c:a", "libmp3lame", "-b:a", "128k"],
          "m4a": ["-c:a", "aac", "-b:a", "96k", "-movflags", "+faststart"], "opus": ["-c:a", "libopus"]}


def make_recording(path: Path, seconds: float, channels: int = 2, rate: int = 48000) -> Path:
    """A recording of `seconds` in the format its suffix names (wav, ogg, flac, mp3, m4a, opus, amr)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ext = path.suffix.lstrip(".")
    if ext == "amr":
        return make_amr(path, seconds)
    # bitexact: the same bytes every time (Ogg's stream serial numbers are random otherwise), so the
    # session's media cache transcodes one recording once for every test that uses it.
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-fflags", "+bitexact", "-filter_complex",
                    _SIGNAL.format(d=seconds), "-ac", str(channels), "-ar", str(rate), *CODECS[ext], str(path)],
                   check=True)
    return path


def make_amr(path: Path, seconds: float) -> Path:
    """An AMR-NB file (12.2 kbit/s, the mode WeChat and phones record in), RFC 4867 storage format."""
    pcm = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-filter_complex", _SIGNAL.format(d=seconds),
                          "-ac", "1", "-ar", "8000", "-f", "s16le", "-"], check=True, capture_output=True).stdout
    lib = ctypes.CDLL("libopencore-amrnb.so.0")
    lib.Encoder_Interface_init.restype = ctypes.c_void_p
    lib.Encoder_Interface_init.argtypes = [ctypes.c_int]
    lib.Encoder_Interface_Encode.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_short),
                                             ctypes.POINTER(ctypes.c_ubyte), ctypes.c_int]
    lib.Encoder_Interface_Encode.restype = ctypes.c_int
    lib.Encoder_Interface_exit.argtypes = [ctypes.c_void_p]
    state = lib.Encoder_Interface_init(0)
    out, frame = bytearray(b"#!AMR\n"), (ctypes.c_ubyte * 64)()
    try:
        for at in range(0, len(pcm) - 319, 320):  # 160 samples = 20 ms a frame
            samples = (ctypes.c_short * 160).from_buffer_copy(pcm[at:at + 320])
            size = lib.Encoder_Interface_Encode(state, 7, samples, frame, 0)  # 7 = MR122
            out += bytes(frame[:size])
    finally:
        lib.Encoder_Interface_exit(state)
    path.write_bytes(bytes(out))
    return path


def cut(path: Path, dest: Path, fraction: float = 0.5) -> Path:
    """`dest`: the first `fraction` of `path`'s bytes, as an interrupted copy leaves a file."""
    data = path.read_bytes()
    dest.write_bytes(data[: int(len(data) * fraction)])
    return dest


def loudness(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) measured by ffmpeg's ebur128 filter."""
    log = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", str(path),
                          "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-"],
                         capture_output=True, text=True, check=True).stderr
    summary = log[log.rindex("Summary:"):]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+) dBFS", summary).group(1))  # type: ignore[union-attr]
    return integrated, peak


def stream_info(path: Path) -> dict:
    """ffprobe's view of the first audio stream (codec, channels, sample rate, bit rate)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-of", "json", "-select_streams", "a:0",
                          "-show_entries", "stream=codec_name,channels,sample_rate,bit_rate", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["streams"][0]
