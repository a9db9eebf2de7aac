"""MkDocs adapter for lecture recordings (entry point `rc-audio`): publish every one as a tagged MP3.

`on_pre_build` (after rc-meta's and rc-images', before MkDocs empties site_dir)
checks and transcodes every recording the build publishes, through the
content-hash cache and the process pool, so a bad recording fails the build
while the previous site is intact; it fills each lecture's `audio` with what
the published file holds. `on_files` drops every original audio file of
content/ and publishes the cached MP3s under /media/<hash>/.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from site_plugins import urls
from site_plugins.adapters.base import Adapter, settings_of
from site_plugins.adapters.meta import MetaPlugin
from site_plugins.content.problems import ContentError, Problem, from_cwd, ref
from site_plugins.content.schema import Audio, Lecture, artwork_type
from site_plugins.media.audio import (
    AUDIO_SUFFIXES,
    PUBLISHED_EXT,
    PUBLISHED_MIME,
    AudioError,
    duration_verdict,
    ffmpeg_version,
    outside,
    seconds_of,
)
from site_plugins.media.cache import Cache, Runner, audio_key, process_audio, tagged
from site_plugins.media.transcode import Tags
from site_plugins.settings import AudioOptions, Settings

log = logging.getLogger("mkdocs.plugins.rc-audio")
ARTWORK_WIDTH = 960  # the cover variant embedded as artwork: sharp on a phone, small in the file


class AudioPlugin(Adapter):
    """Podcast-ready lecture recordings: loudness-normalised, mono, tagged, cached."""

    def __init__(self) -> None:
        self.cache: Cache | None = None
        self.site_settings = Settings()
        self.options = AudioOptions()  # rc-audio's settings (site_plugins/settings.py)
        self.settings = self.options.render
        self.published: dict[str, tuple[str, Path]] = {}  # content path -> (site path, cached file)
        self.extra: dict[str, Path] = {}  # more site paths of a recording two lectures share
        self.transcoded = 0  # recordings transcoded by the last build (0 on a warm build)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.site_settings = settings_of(config, "rc-audio")
        self.options = self.site_settings.audio
        self.settings = self.options.render
        self.cache = Cache(self.site_settings.path(self.options.cache_dir))
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        meta: MetaPlugin = config.plugins["rc-meta"]  # type: ignore[assignment]
        assert self.cache is not None
        docs = Path(config.docs_dir)
        lectures = [e for e in meta.entries.values() if isinstance(e, Lecture) and e.recording is not None]
        problems: list[Problem] = []
        keys: dict[str, str] = {}  # content path of a recording -> its cache key
        wanted = sorted({lec.recording.file for lec in lectures if lec.recording and lec.recording.file})
        try:
            encoder = ffmpeg_version(self.settings) if wanted else ""
        except AudioError as exc:
            raise PluginError(exc.message) from None
        for src in wanted:
            error = outside(docs, src)
            if error is None:
                keys[src] = audio_key(docs / src, self.settings, encoder)
            else:
                problems += [Problem(lec.source, lec.recording_line, "recording", error.message)
                             for lec in lectures if lec.recording and lec.recording.file == src]
        probed = {k: meta.recordings[s] for s, k in keys.items() if s in meta.recordings}  # the check's ffprobe
        with Runner(self.options.workers) as runner:
            batch = process_audio(self.cache, ((k, docs / s, ref(s)) for s, k in keys.items()),
                                  self.settings, runner, probed)
        self.published, self.extra = {}, {}
        for lec in sorted(lectures, key=lambda e: e.source):
            rec = lec.recording
            assert rec is not None
            if rec.url:
                lec.audio = Audio(rec.url, rec.type, rec.length, float(seconds_of(rec.duration) or 0))
            elif rec.file in keys and keys[rec.file] in batch.errors:
                problems.append(Problem(lec.source, lec.recording_line, "recording", batch.errors[keys[rec.file]].message))
            elif rec.file in keys:
                problems += self._publish(lec, keys[rec.file], config, meta)
        if problems:
            for problem in sorted(problems):
                log.error(str(problem))
            raise PluginError(str(ContentError(problems, from_cwd(config.docs_dir))))
        self.transcoded = batch.encoded
        log.info(f"rc-audio: {len(keys)} recordings ({batch.encoded} transcoded, {batch.cached} cached)")

    def _publish(self, lec: Lecture, key: str, config: MkDocsConfig, meta: MetaPlugin) -> list[Problem]:
        """Tag the transcoded audio for this lecture, check the stated duration, fill `lec.audio`."""
        assert self.cache is not None and lec.recording is not None
        name = f"{lec.slug}.{PUBLISHED_EXT}"
        cover, cover_mime = self._artwork(lec, config, meta)
        tags = Tags(title=lec.title, artist="、".join(s.name for s in lec.speakers),
                    album=self.options.album or config.site_name, date=f"{lec.date:%Y-%m-%d}",
                    cover=cover, cover_mime=cover_mime)
        tag_key, manifest = tagged(self.cache, key, tags, name)
        site_path = urls.media(tag_key, name)
        cached = self.cache.path(tag_key, name)
        if lec.recording.file not in self.published:
            self.published[lec.recording.file] = (site_path, cached)
        elif self.published[lec.recording.file][0] != site_path:
            self.extra[site_path] = cached
        lec.audio = Audio(site_path, PUBLISHED_MIME, manifest["bytes"], manifest["seconds"])
        # Judged on the source's decoded length, as scripts/check does (the MP3 adds ~0.05 s of encoder
        # padding), so both give the same verdict; the feed and page show the published file's.
        verdict = duration_verdict(lec.recording.duration, manifest.get("source_seconds", lec.audio.seconds))
        line = lec.lines.get("recording.duration", lec.recording_line)
        if verdict is None:
            return []
        if verdict[0] == "notice":
            log.info(f"注意：{Problem(lec.source, line, 'recording', verdict[1])}")  # info: never fails --strict
            return []
        return [Problem(lec.source, line, "recording", verdict[1])]

    def _artwork(self, lec: Lecture, config: MkDocsConfig, meta: MetaPlugin) -> tuple[bytes, str]:
        """The cover as rc-images published it (never the original, which may carry EXIF), else the logo."""
        images = config.plugins.get("rc-images")
        pub = getattr(images, "images", {}).get(lec.cover.src) if lec.cover else None
        if pub is not None and images is not None:
            # An animated cover's artwork is its first frame (ID3 pictures are still JPEG or PNG).
            fallbacks = pub.rendition.role("fallback") if pub.rendition.frames == 1 else [pub.rendition.still]
            variant = ([v for v in fallbacks if v.width <= ARTWORK_WIDTH] or fallbacks)[-1]
            return images.cache.path(pub.key, variant.name).read_bytes(), variant.mime
        for folder in config.theme.dirs:
            logo = Path(folder) / self.site_settings.meta.logo
            if artwork_type(logo.name) and logo.is_file():
                return logo.read_bytes(), artwork_type(logo.name)
        return b"", "image/jpeg"

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs = os.path.normpath(config.docs_dir)
        for file in list(files):
            if (file.generated_by is None and file.src_dir is not None and os.path.normpath(file.src_dir) == docs
                    and (file.src_uri.lower().endswith(AUDIO_SUFFIXES) or file.src_uri in self.published)):
                files.remove(file)  # no original recording is ever published
        for src, (site_path, cached) in sorted(self.published.items()):
            # The content path stays a known file (Markdown links to it pass), but it serves the MP3.
            file = File.generated(config, src, abs_src_path=str(cached))
            file.dest_uri = file.url = site_path
            file.abs_dest_path = os.path.normpath(os.path.join(file.dest_dir, site_path))
            files.append(file)
        for site_path, cached in sorted(self.extra.items()):
            files.append(File.generated(config, site_path, abs_src_path=str(cached)))
        return files
