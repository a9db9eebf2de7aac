"""`mkdocs build --strict` in the test process: the CLI's steps, its log format and exit codes.

A synthetic site builds in well under a second; a new interpreter first spends longer importing
MkDocs, Material and our plugins, and starting their workers. So the tests run the CLI's own
sequence here (`mkdocs.__main__.build_command`: load_config, on_startup, build, on_shutdown) and
render its output as the CLI prints it to stderr (`LEVEL    -  message`, `Error: ...` for a
configuration error, the Abort line), so assertions read the same text an editor sees; the
sample site is built this way too. The real CLI runs in a process of its own where that is the
point: the reproducibility test's second build (another hash seed and time zone), the packaging
test, scripts/serve, scripts/edit, the killed builds and gh-deploy (tests/conftest.py). MkDocs'
walk of the installed theme's files is done once per test process (`_theme_files_once`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import traceback
from collections.abc import Iterator
from pathlib import Path

import click
from jinja2 import Environment
from mkdocs.commands import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files


class _CliFormat(logging.Formatter):
    """mkdocs.__main__.ColorFormatter without colours or wrapping (its output is not a terminal)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {super().format(record)}"


@contextlib.contextmanager
def _environment(folder: Path, extra_env: dict[str, str]) -> Iterator[None]:
    """`extra_env` set and `folder` the current directory, both restored after."""
    before = {key: os.environ.get(key) for key in extra_env}
    cwd = os.getcwd()
    os.environ.update(extra_env)
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(cwd)
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _mkdocs_log(stream: io.StringIO) -> Iterator[None]:
    """The 'mkdocs' logger as the CLI sets it up (INFO, not propagated), writing to `stream`."""
    logger = logging.getLogger("mkdocs")
    saved = (logger.level, logger.propagate, list(logger.handlers))
    handler = logging.StreamHandler(stream)
    handler.setFormatter(_CliFormat())
    logger.handlers = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        logger.handlers = saved[2]


# (theme folders, static templates) -> (path, folder) of each static file of the theme
_THEME_FILES: dict[tuple[tuple[str, ...], tuple[str, ...]], list[tuple[str, str]]] = {}
_walk_theme = Files.add_files_from_theme


def _theme_files_once(self: Files, env: Environment, config: MkDocsConfig) -> None:
    """MkDocs' add_files_from_theme, with the theme's file list made once per test process.

    MkDocs lists every file of the theme in every build (Material's 14,000 icons: 0.1 s, a
    fifth of a small site's build); the installed theme does not change while tests run. The
    files of the build's own docs_dir still win over the theme's, as in MkDocs.
    """
    key = (tuple(config.theme.dirs), tuple(config.theme.static_templates))
    if key not in _THEME_FILES:
        listed = Files([])
        _walk_theme(listed, env, config)
        _THEME_FILES[key] = [(file.src_uri, file.src_dir) for file in listed]
    for path, folder in _THEME_FILES[key]:
        if self.get_file_from_path(path) is None:
            self.append(File(path, folder, config.site_dir, config.use_directory_urls))


def build_in_process(config: Path, site_dir: Path, extra_env: dict[str, str],
                     command: str = "build") -> subprocess.CompletedProcess[str]:
    """Build `config` into `site_dir` as `mkdocs build --strict -f config -d site_dir` would.

    `command="serve"`: the plugins start as under `mkdocs serve` (the preview's pages), one build.
    """
    Files.add_files_from_theme = _theme_files_once  # type: ignore[method-assign]
    args = ["mkdocs", "build", "--strict", "-f", str(config), "-d", str(site_dir)]
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with _environment(config.parent, extra_env), _mkdocs_log(err), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cfg = load_config(config_file=str(config), strict=True, site_dir=str(site_dir))
            cfg.plugins.on_startup(command=command, dirty=False)
            try:
                build.build(cfg, dirty=False)
            finally:
                cfg.plugins.on_shutdown()
        except click.ClickException as error:  # Abort, ConfigurationError: what click prints, then exit 1
            error.show(file=err)
            code = error.exit_code
        except SystemExit as error:
            code = error.code if isinstance(error.code, int) else 1
        except Exception:  # the CLI would print the traceback and exit 1
            err.write(traceback.format_exc())
            code = 1
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def cli_in_process(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`mkdocs ARGS` through MkDocs' own click CLI in this process, from `cwd` with `env` set."""
    from mkdocs.__main__ import cli

    out, err = io.StringIO(), io.StringIO()
    code = 0
    logger = logging.getLogger("mkdocs")
    saved = list(logger.handlers)  # the CLI adds a handler (to this stderr) on every call
    with _environment(cwd, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(args, prog_name="mkdocs")
        except SystemExit as error:
            code = error.code if isinstance(error.code, int) else (0 if error.code is None else 1)
        finally:
            logger.handlers = saved
    return subprocess.CompletedProcess(["mkdocs", *args], code, out.getvalue(), err.getvalue())


# Scripts that do their work in their own interpreter (no server, no signal handling; scripts/build
# runs MkDocs' CLI in its process), so running their __main__ here is what running the file does.
IN_PROCESS_SCRIPTS = frozenset({"check", "new", "build", "wechat"})


def run_script(script: Path, args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a Python script's `__main__` here with `args`, from `cwd`, with `env` set; capture what it prints."""
    import runpy
    import sys

    out, err = io.StringIO(), io.StringIO()
    code = 0
    argv, path = sys.argv, list(sys.path)
    sys.argv = [str(script), *args]
    with _environment(cwd, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            runpy.run_path(str(script), run_name="__main__")
        except SystemExit as error:
            code = error.code if isinstance(error.code, int) else (0 if error.code is None else 1)
            if isinstance(error.code, str):
                err.write(error.code + "\n")
        except Exception:
            err.write(traceback.format_exc())
            code = 1
        finally:
            sys.argv, sys.path[:] = argv, path
    return subprocess.CompletedProcess([str(script), *args], code, out.getvalue(), err.getvalue())
