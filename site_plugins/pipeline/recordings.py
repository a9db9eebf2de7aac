"""The recordings stage of `prepare`: every lecture recording the build publishes, as a tagged MP3.

Each recording is checked and transcoded through the content-hash cache and the process pool (from
what the check's ffprobe found, never probing it again), then tagged for its lecture, with the cover
as published (never the original, which may carry EXIF) or the site's logo as artwork. A lecture's
stated duration is judged on the source's decoded length, as scripts/check judges it; a transcript
may not run past the published file. The result is a map lecture source -> `Audio`; the lecture
itself is never changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from site_plugins import urls
from site_plugins.content.problems import Problem, ref
from site_plugins.content.schema import Audio, Lecture, Story, artwork_type
from site_plugins.content.transcripts import cues_beyond
from site_plugins.media.audio import (
    PUBLISHED_EXT,
    PUBLISHED_MIME,
    AudioError,
    SourceInfo,
    duration_verdict,
    ffmpeg_version,
    outside,
    seconds_of,
)
from site_plugins.media.cache import Cache, audio_key, process_audio, tagged
from site_plugins.media.pool import Runner
from site_plugins.media.transcode import Tags
from site_plugins.outputs.published import Image
from site_plugins.pipeline.media import MediaProblems
from site_plugins.settings import Settings

ARTWORK_WIDTH = 960  # the cover variant embedded as artwork: sharp on a phone, small in the file


@dataclass
class Recordings:
    """What the stage published: by lecture, by site path, and the notices it gave."""

    audio: dict[str, Audio]  # lecture source -> its published recording (or the one hosted elsewhere)
    files: dict[str, Path]  # site path -> the tagged MP3 in the cache
    served: dict[str, str]  # recording's content path -> the site path it is served at
    notices: list[Problem]


class ToolMissing(Exception):
    """ffmpeg cannot run: the message says what to install."""


def publish_recordings(content: Path, settings: Settings, entries: Sequence[Story | Lecture],
                       probed: Mapping[str, SourceInfo], artwork: Callable[[Lecture], tuple[bytes, str]],
                       say: Callable[[str], None]) -> Recordings:
    """Transcode, tag and judge every recording of `entries`; MediaProblems names each lecture that fails."""
    options = settings.audio
    render = options.render
    cache = Cache(settings.path(options.cache_dir))
    lectures = sorted((e for e in entries if isinstance(e, Lecture) and e.recording is not None), key=lambda e: e.source)
    wanted = sorted({lec.recording.file for lec in lectures if lec.recording and lec.recording.file})
    try:
        encoder = ffmpeg_version(render) if wanted else ""
    except AudioError as exc:
        raise ToolMissing(exc.message) from None
    problems: list[Problem] = []
    keys: dict[str, str] = {}  # content path of a recording -> its cache key
    for src in wanted:
        error = outside(content, src)
        if error is None:
            keys[src] = audio_key(content / src, render, encoder)
        else:
            problems += [Problem(lec.source, lec.recording_line, "recording", error.message)
                         for lec in lectures if lec.recording and lec.recording.file == src]
    known = {k: probed[s] for s, k in keys.items() if s in probed}  # the check's ffprobe
    with Runner(options.workers) as runner:
        batch = process_audio(cache, ((k, content / s, ref(s)) for s, k in keys.items()), render, runner, known)
    made = Recordings({}, {}, {}, [])
    for lec in lectures:
        rec = lec.recording
        assert rec is not None
        if rec.url:  # hosted elsewhere: its stated duration is the length
            made.audio[lec.source] = Audio(rec.url, rec.type, rec.length, float(seconds_of(rec.duration) or 0))
        elif rec.file in keys and keys[rec.file] in batch.errors:
            problems.append(Problem(lec.source, lec.recording_line, "recording", batch.errors[keys[rec.file]].message))
            continue
        elif rec.file in keys:
            problems += _publish(lec, keys[rec.file], cache, options.album or settings.site.name, artwork, made)
        if lec.source in made.audio:
            problems += cues_beyond(lec, made.audio[lec.source].seconds)
    if problems:
        raise MediaProblems(problems)
    say(f"rc-audio: {len(keys)} recordings ({batch.encoded} transcoded, {batch.cached} cached)")
    return made


def _publish(lec: Lecture, key: str, cache: Cache, album: str, artwork: Callable[[Lecture], tuple[bytes, str]],
             made: Recordings) -> list[Problem]:
    """Tag the transcoded audio for this lecture, check the stated duration, record what was published."""
    assert lec.recording is not None
    name = f"{lec.slug}.{PUBLISHED_EXT}"
    cover, cover_mime = artwork(lec)
    tags = Tags(title=lec.title, artist="、".join(s.name for s in lec.speakers), album=album,
                date=f"{lec.date:%Y-%m-%d}", cover=cover, cover_mime=cover_mime)
    tag_key, manifest = tagged(cache, key, tags, name)
    site_path = urls.media(tag_key, name)
    made.files[site_path] = cache.path(tag_key, name)
    made.served.setdefault(lec.recording.file, site_path)  # a recording two lectures share: its first lecture's
    audio = made.audio[lec.source] = Audio(site_path, PUBLISHED_MIME, manifest["bytes"], manifest["seconds"])
    # Judged on the source's decoded length, as scripts/check does (the MP3 adds ~0.05 s of encoder
    # padding), so both give the same verdict; the feed and page show the published file's.
    verdict = duration_verdict(lec.recording.duration, manifest.get("source_seconds", audio.seconds))
    if verdict is None:
        return []
    line = lec.lines.get("recording.duration", lec.recording_line)
    judged = Problem(lec.source, line, "recording", verdict[1], notice=verdict[0] == "notice")
    if judged.notice:
        made.notices.append(judged)
        return []
    return [judged]


def artwork_of(images: Mapping[str, Image], files: Mapping[str, Path], logos: Sequence[Path]
               ) -> Callable[[Lecture], tuple[bytes, str]]:
    """A lecture's artwork: its cover as published (an animation's first frame), else the first logo found."""

    def artwork(lec: Lecture) -> tuple[bytes, str]:
        image = images.get(lec.cover.src) if lec.cover else None
        if image is not None:
            # ID3 pictures are still JPEG or PNG.
            fallbacks = image.rendition.role("fallback") if image.rendition.frames == 1 else [image.rendition.still]
            variant = ([v for v in fallbacks if v.width <= ARTWORK_WIDTH] or fallbacks)[-1]
            return files[image.site_path(variant.name)].read_bytes(), variant.mime
        for logo in logos:
            if artwork_type(logo.name) and logo.is_file():
                return logo.read_bytes(), artwork_type(logo.name)
        return b"", "image/jpeg"

    return artwork
