"""Pagefind's service driven from Python: its API (`pagefind.index`) with three fixes.

pagefind 1.5.2's Python wrapper sleeps 100 ms before reading each reply (ten pages a
second at most), reads replies with asyncio's 64 KiB line limit, while GetFiles
answers with every file of the index in one line (about 18 MB at 3,000 stories), and
keeps every reply it has read. `Service` reads replies as they come, with a limit that
holds the whole index, and forgets each reply once it is handed over.
One service holds many indexes (`create_index`, `delete_index`), one per build.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
from pathlib import PurePosixPath

from pagefind.index import PagefindIndex
from pagefind.service import PagefindService

REPLY_LIMIT = 1 << 30  # the largest reply is GetFiles: every index file, base64


class Service(PagefindService):
    """Pagefind's service with a reader that does not wait and a close that lets it finish."""

    async def launch(self) -> PagefindService:
        """The stock launch with a reader limit that holds the whole index in one reply."""
        self._backend = await asyncio.create_subprocess_exec(
            self._bin, "--service", cwd=os.getcwd(), stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, limit=REPLY_LIMIT,
        )
        self._poll_task = self._loop.create_task(self._wait_for_responses())
        return self

    async def _wait_for_responses(self) -> None:
        assert self._backend.stdout is not None
        while True:
            try:
                output = await self._backend.stdout.readuntil(b",")
            except asyncio.IncompleteReadError:
                for future in self._responses.values():
                    if not future.done():
                        future.set_exception(RuntimeError("Pagefind stopped unexpectedly"))
                return
            resp = json.loads(base64.b64decode(output[:-1]))
            if resp is None:
                continue
            message_id = resp.get("message_id")
            payload = resp["payload"]
            if message_id is None and payload.get("original_message"):
                message_id = json.loads(payload["original_message"]).get("message_id")
            # Taken off the table (the stock reader keeps every reply for the service's life: each
            # page's metadata, and each GetFiles reply, the whole index in base64).
            waiting = self._responses.pop(message_id, None) if message_id is not None else None
            if waiting is None or waiting.done():
                continue
            if payload["type"] == "Error":
                waiting.set_exception(RuntimeError(payload["message"]))
            else:
                waiting.set_result(payload)

    async def close(self) -> None:
        """Let Pagefind exit by itself (the stock close() kills it at once, which could cut a
        file it is still writing short)."""
        assert self._backend.stdin is not None
        self._backend.stdin.close()
        try:
            await asyncio.wait_for(self._backend.wait(), timeout=120)
        except TimeoutError:
            self._backend.terminate()
            await self._backend.wait()
        self._poll_task.cancel()


async def start_service() -> Service:
    """A new Pagefind process (one per search worker: every index of the worker's builds is made
    in it, so its Chinese segmenter is loaded once, not once a build)."""
    service = await Service().launch()
    assert isinstance(service, Service)
    return service


def running(service: Service | None) -> bool:
    return service is not None and service._backend.returncode is None


async def bundle_files(index: PagefindIndex) -> dict[str, bytes]:
    """Every file of the index by its path inside Pagefind's folder (GetFiles).

    GetFiles, not WriteFiles: WriteFiles answers once tokio has queued the last write, and
    the service exits the moment its input closes, so under load a file (pagefind-entry.json,
    the wasm) came out empty. GetFiles hands every file over in its reply.
    """
    files = await index.get_files()
    folder = next(PurePosixPath(f["path"]).parent for f in files if f["path"].endswith("pagefind-entry.json"))
    return {PurePosixPath(f["path"]).relative_to(folder).as_posix(): f["content"] for f in files}
