"""One file of a cache under `.cache/`: a header naming its format, the digest of its payload and
the pickled payload. `read` gives None for a missing, cut-short, altered or foreign file, so a
damaged cache only costs the work it saved; `write` goes through a temporary file (the old file
or the new, never half). Read only from this project's own `.cache/`: a pickle runs code when read.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any


def read(path: Path, head: bytes) -> Any:
    """The payload of `path` if it is whole and its header is `head` (one line); else None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    first, _, rest = data.partition(b"\n")
    digest, _, payload = rest.partition(b"\n")
    if first + b"\n" != head or digest != hashlib.sha256(payload).hexdigest().encode():
        return None
    try:
        return pickle.loads(payload)
    except Exception:  # a class changed since: the file is only not used
        return None


def write(path: Path, head: bytes, value: Any) -> None:
    """`value` kept at `path` (its folder made), through a temporary file."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".cache-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(head + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
