"""Compiled theme templates, kept for the life of the process.

MkDocs makes a new Jinja environment for every build, so each build parses and compiles
Material's templates again (about 1 s). `mkdocs serve` rebuilds in one process, and so do
the tests; with this cache a rebuild reuses the compiled code. Jinja checks each entry
against its template's source (a checksum in the bucket), so an edited template compiles anew.
"""

from __future__ import annotations

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache


class MemoryBytecodeCache(BytecodeCache):
    """Jinja bytecode in a dict, keyed by the environment's syntax and the template's name and file."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self._store.get(self._key(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._store[self._key(bucket)] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self._store.clear()

    @staticmethod
    def _key(bucket: Bucket) -> str:
        # The compiled code depends on how the environment parses and escapes, not only on the source.
        env = bucket.environment
        syntax = (env.block_start_string, env.variable_start_string, env.comment_start_string,
                  env.line_statement_prefix, env.trim_blocks, env.lstrip_blocks, env.autoescape,
                  tuple(sorted(env.extensions)))
        return f"{syntax!r}|{bucket.key}"


TEMPLATE_CACHE = MemoryBytecodeCache()


def use_template_cache(env: Environment) -> None:
    """Let `env` load compiled templates from, and store them in, the process's cache."""
    env.bytecode_cache = TEMPLATE_CACHE
