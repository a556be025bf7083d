"""Faults the runner survives without hanging, lying or deleting: a hanging cell (deadline),
a kill at any step of the publication, a second build at the same time, a stopped build, a
damaged manifest, errors of the file system, a failing Jupyter Book build, and inputs beyond
the repository (the CBS cache, whether CBS open data answered).

The slow tests build a small project of one chapter (``toy``: its notebook prints its ``year``)
with the runner in a subprocess (``RI_ROOT``), each in its own folder and cache."""

from __future__ import annotations

import errno
import http.server
import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
import yaml
from test_incremental import _planned

from helpers import config
from helpers.build import runner

CHAPTERS = runner.load_params()

# --- a small project ------------------------------------------------------------------------

TOY_CONFIG = {
    "title": "Toy",
    "author": "Toy",
    "only_build_toc_files": True,
    "exclude_patterns": [".*/**", "**/.*/**", "notebooks", "data"],
    "execute": {"execute_notebooks": "off", "timeout": 600},
    "sphinx": {"config": {"nb_output_stderr": "remove"}},
}
TOY_TOC = {
    "format": "jb-book",
    "root": "book/intro",
    "chapters": [{"file": "book/_generated/toy"}, {"file": "book/_generated/bronnen"}],
}
#: A cell that waits until the file ``release`` exists next to the notebook's project.
WAIT_CELL = "import time\nfrom pathlib import Path\nwhile not Path('{flag}').exists():\n    time.sleep(0.1)\n"  # fmt: skip


def _cell(source: str, tags: list[str] | None = None) -> dict:
    return {"cell_type": "code", "metadata": {"tags": tags or []}, "source": source,
            "outputs": [], "execution_count": None}  # fmt: skip


def write_toy_notebook(project: Path, *cells: str) -> None:
    """The chapter's notebook: a title, the parameters cell (``year = 2015``), a cell printing
    the year, then ``cells``."""
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "# Toy\n"},
            _cell("year = 2015\n", ["parameters"]),
            _cell("import helpers\n\nprint(f'Het jaar is {year}.')\n"),
            *(_cell(c) for c in cells),
        ],
        "metadata": {
            "kernelspec": {
                "name": runner.KERNEL_NAME,
                "display_name": "Python",
                "language": "python",
            }
        },  # fmt: skip
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (project / "notebooks" / "toy.ipynb").write_text(json.dumps(nb), encoding="utf-8")


def make_toy(project: Path, *cells: str, timeout: float = 600) -> Path:
    """A project of one chapter ``toy`` (parameter ``year``, 2015 or 2016) and a book of an
    introduction, the chapter and the provenance page."""
    for folder in ("notebooks", "book", "data"):
        (project / folder).mkdir(parents=True, exist_ok=True)
    shutil.copy2(config.SOURCES_FILE, project / "data" / "sources.yml")
    chapter = {"notebook": "notebooks/toy.ipynb", "title": "Toy", "parameters": {"year": 2015},
               "valid": {"year": {"choices": [2015, 2016]}}}  # fmt: skip
    (project / "params.yml").write_text(yaml.safe_dump({"chapters": {"toy": chapter}}))
    toy_config = dict(TOY_CONFIG, execute={"execute_notebooks": "off", "timeout": timeout})
    (project / "_config.yml").write_text(yaml.safe_dump(toy_config, sort_keys=False))
    (project / "_toc.yml").write_text(yaml.safe_dump(TOY_TOC, sort_keys=False))
    (project / "book" / "intro.md").write_text("# Intro\n\nEen boek.\n", encoding="utf-8")
    write_toy_notebook(project, *cells)
    return project


def toy_env(project: Path) -> dict[str, str]:
    """The runner on ``project``, with its own cache; CBS open data is a closed loopback
    port (it does not answer, at once)."""
    return dict(
        os.environ, RI_ROOT=str(project), RI_DATA_CACHE=str(project.parent / "cache"),
        RI_CBS_ODATA="http://127.0.0.1:9/odata", PYTHONUNBUFFERED="1",
    )  # fmt: skip


def build(
    project: Path, *args: str, prefix: list[str] | None = None
) -> subprocess.CompletedProcess:
    """``python -m helpers.build.runner ARGS`` on ``project`` (or ``prefix`` + ARGS)."""
    command = prefix or [sys.executable, "-m", "helpers.build.runner"]
    return subprocess.run(
        [*command, *args], cwd=project, env=toy_env(project), capture_output=True, text=True,
        timeout=600,
    )  # fmt: skip


def start(project: Path, *args: str) -> subprocess.Popen:
    """The runner on ``project`` in the background (output merged, line by line)."""
    return subprocess.Popen(
        [sys.executable, "-m", "helpers.build.runner", *args], cwd=project,
        env=toy_env(project), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def read_until(process: subprocess.Popen, text: str, log: list[str], timeout: float = 300) -> None:
    """Read ``process``'s output into ``log`` until a line contains ``text``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        log.append(line.rstrip("\n"))
        if text in line:
            return
    pytest.fail(f"no line with {text!r}:\n" + "\n".join(log))


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def page(project: Path) -> str:
    return (project / "_build" / "html" / "book" / "_generated" / "toy.html").read_text("utf-8")


def published(project: Path) -> dict[str, bytes]:
    """Every published file: HTML, executed notebooks, manifest."""
    files = {}
    for folder in (project / "_build" / "html", project / "book" / "_generated"):
        files.update({p.as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()})
    files["manifest"] = (project / "_build" / "manifest.json").read_bytes()
    return files


def no_process_left(project: Path, processes: list[psutil.Process]) -> None:
    """None of ``processes`` is alive and no process works on ``project`` (RI_ROOT)."""
    _, alive = psutil.wait_procs(processes, timeout=15)
    assert not alive, [(p.pid, p.cmdline()) for p in alive]
    left = []
    for process in psutil.process_iter():
        with_root = False
        try:
            with_root = process.environ().get("RI_ROOT") == str(project)
        except psutil.Error:
            continue
        if with_root and process.pid != os.getpid():
            left.append((process.pid, process.cmdline()))
    assert not left


@pytest.fixture(scope="module")
def built_toy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project, built once (2015)."""
    project = make_toy(tmp_path_factory.mktemp("toy") / "project")
    ok(build(project))
    assert "Het jaar is 2015." in page(project)
    return project


@pytest.fixture
def toy(built_toy: Path, tmp_path: Path) -> Path:
    """A copy of the built small project for one test."""
    project = tmp_path / "project"
    shutil.copytree(built_toy, project, symlinks=True)
    shutil.copytree(built_toy.parent / "cache", tmp_path / "cache", dirs_exist_ok=True)
    return project


# --- deadline per notebook ------------------------------------------------------------------


@pytest.mark.slow
def test_a_hanging_cell_is_stopped_at_the_configured_deadline_and_the_book_stays(toy):
    before = published(toy)
    config_file = toy / "_config.yml"
    config_file.write_text(config_file.read_text().replace("timeout: 600", "timeout: 15"))
    write_toy_notebook(toy, "import time\ntime.sleep(600)\n")
    result = build(toy)  # no --timeout: execute.timeout of _config.yml
    assert result.returncode == 1
    assert "toy: FAILED after" in result.stdout and "(stopped at its deadline, --timeout 15 s)" in result.stdout  # fmt: skip
    error = result.stderr.splitlines()[0]
    assert error.startswith("[book] ERROR: Notebook notebooks/toy.ipynb did not finish within 15 s (--timeout) and was stopped in cell ")  # fmt: skip
    assert "starting 'import time': KeyboardInterrupt" in error
    assert "----> 2 time.sleep(600)" in result.stderr  # where it hung
    assert published(toy) == before
    no_process_left(toy, [])


@pytest.mark.slow
def test_a_cell_that_ignores_the_interrupt_is_killed_at_the_deadline(toy):
    before = published(toy)
    stubborn = "import time\nwhile True:\n    try:\n        time.sleep(600)\n    except KeyboardInterrupt:\n        pass\n"  # fmt: skip
    write_toy_notebook(toy, stubborn)
    result = build(toy, "--timeout", "15")
    assert result.returncode == 1
    assert "did not finish within 15 s (--timeout) and was stopped in cell" in result.stderr
    assert "starting 'import time' (its kernel was killed)" in result.stderr
    assert published(toy) == before
    no_process_left(toy, [])


def test_the_deadline_comes_from_the_option_or_the_book_configuration(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "ROOT", tmp_path)
    assert runner.resolve_timeout(None) == runner.DEFAULT_TIMEOUT  # no _config.yml
    (tmp_path / "_config.yml").write_text("execute:\n  timeout: 90\n")
    assert runner.resolve_timeout(None) == 90
    assert runner.resolve_timeout(5) == 5
    assert runner.resolve_timeout(0) is None  # no deadline
    (tmp_path / "_config.yml").write_text("execute:\n  timeout: lang\n")
    with pytest.raises(runner.RunnerError, match=r"_config.yml: execute.timeout = 'lang' is not a number"):  # fmt: skip
        runner.resolve_timeout(None)


def test_make_passes_timeout_and_documents_it():
    dry = subprocess.run(["make", "-n", "book", "TIMEOUT=5"], cwd=config.ROOT, capture_output=True, text=True)  # fmt: skip
    assert "--timeout 5" in dry.stdout, dry.stdout + dry.stderr
    assert "--timeout" not in subprocess.run(["make", "-n", "book"], cwd=config.ROOT, capture_output=True, text=True).stdout  # fmt: skip
    assert "TIMEOUT=" in subprocess.run(["make", "help"], cwd=config.ROOT, capture_output=True, text=True).stdout  # fmt: skip


# --- crash-safe publication -----------------------------------------------------------------

STEPS = ["staged", "committed", "gen moved out", "gen in place", "html moved out",
         "html in place", "manifest in place", "journal removed"]  # fmt: skip


def _target(root: Path) -> runner.Target:
    return runner.Target("t", root / "gen", root / "build" / "html", root / "build" / "m.json")


def _version(root: Path, target: runner.Target, label: str) -> tuple[Path, Path, dict]:
    """A stage, an HTML folder and a manifest that all say ``label``."""
    stage, html = root / label / "stage", root / label / "html"
    for folder in (stage, html):
        folder.mkdir(parents=True)
        (folder / "label.txt").write_text(label)
    (stage / ".reads-x.tsv").write_text("hidden: dropped")
    return stage, html, {"version": runner.MANIFEST_VERSION, "chapters": {}, "book": label}


def _state(target: runner.Target) -> tuple[str, str, str]:
    manifest = json.loads(target.manifest.read_text())["book"]
    return (target.generated / "label.txt").read_text(), (target.html / "label.txt").read_text(), manifest  # fmt: skip


def _publish(root: Path, target: runner.Target, label: str) -> None:
    stage, html, manifest = _version(root, target, label)
    runner.publish(stage, html, target, manifest)


def _kill_at(step: str, target: runner.Target, stage: Path, html: Path, manifest: dict) -> None:
    """Publish in a forked process that is killed (SIGKILL) at ``step``."""

    def child() -> None:
        def stop(name: str) -> None:
            if name == step:
                os.kill(os.getpid(), signal.SIGKILL)

        runner._publish_step = stop
        runner.publish(stage, html, target, manifest)
        os._exit(0)

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(30)
    assert process.exitcode == -signal.SIGKILL


def test_the_publication_passes_every_step(tmp_path, monkeypatch):
    target = _target(tmp_path)
    _publish(tmp_path, target, "old")
    seen: list[str] = []
    monkeypatch.setattr(runner, "_publish_step", seen.append)
    stage, html, manifest = _version(tmp_path, target, "new")
    runner.publish(stage, html, target, manifest)
    assert seen == STEPS
    assert _state(target) == ("new", "new", "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "gen", "new", "old"]
    assert sorted(p.name for p in target.html.parent.iterdir()) == ["html", "m.json"]
    assert not (target.generated / ".reads-x.tsv").exists()


@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_any_step_of_the_publication_leaves_the_old_or_the_new_book(tmp_path, step, capsys):  # fmt: skip
    target = _target(tmp_path)
    _publish(tmp_path, target, "old")
    _kill_at(step, target, *_version(tmp_path, target, "new"))
    runner.recover(target)  # what the next build does first
    expected = "old" if step == "staged" else "new"
    assert _state(target) == (expected, expected, expected)
    leftovers = [p.name for folder in (tmp_path, target.html.parent) for p in folder.iterdir() if p.name.startswith(".")]  # fmt: skip
    assert leftovers == []
    notice = capsys.readouterr().out
    assert ("completed the publication" in notice) == (step not in ("staged", "journal removed"))
    runner.recover(target)  # nothing left to do
    assert _state(target) == (expected, expected, expected)


def test_a_build_without_html_publishes_notebooks_and_manifest_only(tmp_path):
    target = _target(tmp_path)
    _publish(tmp_path, target, "old")
    stage, _, manifest = _version(tmp_path, target, "new")
    runner.publish(stage, None, target, manifest)
    assert _state(target) == ("new", "old", "new")


def test_disk_full_while_staging_changes_nothing_published(tmp_path, monkeypatch):
    target = _target(tmp_path)
    _publish(tmp_path, target, "old")
    moves = []
    move = shutil.move

    def full(source, destination):
        moves.append(destination)
        if len(moves) == 2:  # the HTML is staged, then the notebooks fail
            raise OSError(errno.ENOSPC, "No space left on device", str(destination))
        return move(source, destination)

    monkeypatch.setattr(shutil, "move", full)
    with pytest.raises(OSError) as info:
        _publish(tmp_path, target, "new")
    assert runner.os_error_line(info.value) == f"file system error on {moves[1]}: No space left on device [ENOSPC]"  # fmt: skip
    assert _state(target) == ("old", "old", "old")
    assert [p.name for p in target.html.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.slow
@pytest.mark.parametrize("step", ["staged", "_generated in place"])
def test_a_build_killed_while_publishing_is_followed_by_a_correct_build(toy, step):
    """Killed before the commit (the 2015 book stays) or after it, with the 2016 notebooks in
    place and neither HTML nor manifest yet (the 2016 publication is completed): either way
    the next build, with params.yml's 2015, publishes 2015 and calls nothing up to date that
    was not built from 2015."""
    kill = (
        "import os, signal, sys\nfrom helpers.build import runner\n"
        "runner._publish_step = lambda s: os.kill(os.getpid(), signal.SIGKILL) if s == sys.argv[1] else None\n"  # fmt: skip
        "sys.exit(runner.main(sys.argv[2:]))\n"
    )
    killed = build(toy, step, "--set", "toy.year=2016", prefix=[sys.executable, "-c", kill])
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    stdout = ok(build(toy))
    assert "lock of a build that ended without releasing it" in stdout
    if step == "staged":
        assert "removed what a stopped build had staged" in stdout
        assert "year=2015); reason: parameters changed" not in stdout  # the 2015 record stands
    else:
        assert "completed the publication of a build that was stopped" in stdout
        assert "toy: executing notebooks/toy.ipynb (year=2015); reason: parameters changed" in stdout  # fmt: skip
    assert "Het jaar is 2015." in page(toy)
    assert "Het jaar is 2015." in (toy / "book" / "_generated" / "toy.ipynb").read_text()
    assert "nothing changed" in ok(build(toy))


# --- one build at a time --------------------------------------------------------------------

HOLD = (
    "import sys, time\nfrom pathlib import Path\nfrom helpers.build import runner\n"
    "lock = runner.BuildLock(Path(sys.argv[1]), 'make book VARIANT=x')\nlock.acquire()\n"
    "print('held', flush=True)\ntime.sleep(600)\n"
)


def _holder(path: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_second_build_is_refused_naming_the_holder_and_a_dead_holders_lock_is_taken_over(tmp_path, capsys):  # fmt: skip
    path = tmp_path / "_build" / ".lock"
    holder = _holder(path)
    try:
        with pytest.raises(runner.RunnerError) as info:
            runner.BuildLock(path).acquire()
        message = str(info.value)
        assert "\n" not in message
        assert message.startswith(f"another build of this book is running (pid {holder.pid} on ")
        assert "command: make book VARIANT=x; lock " in message
    finally:
        holder.kill()
        holder.wait()
    lock = runner.BuildLock(path, "second")
    lock.acquire()  # the holder was killed: its lock is taken over
    assert f"ended without releasing it (pid {holder.pid} on " in capsys.readouterr().out
    assert json.loads(path.read_text())["pid"] == os.getpid()
    lock.release()
    assert path.read_text() == ""
    with runner.BuildLock(path):  # released: no notice
        pass
    assert capsys.readouterr().out == ""


def test_the_command_line_refuses_a_build_while_another_holds_the_lock(tmp_path, monkeypatch, capsys):  # fmt: skip
    monkeypatch.setattr(config, "BUILD_DIR", tmp_path / "_build")
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("the build started"))
    holder = _holder(tmp_path / "_build" / ".lock")
    try:
        code = runner.main([])
    finally:
        holder.kill()
        holder.wait()
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err[0].startswith(f"[book] ERROR: another build of this book is running (pid {holder.pid} ")  # fmt: skip
    assert err[1] == "[book] The previously published book was left unchanged."


@pytest.mark.slow
def test_a_stopped_build_ends_every_process_and_a_build_meanwhile_is_refused(toy):
    before = published(toy)
    flag = toy.parent / "release"
    write_toy_notebook(toy, WAIT_CELL.format(flag=flag))
    process = start(toy)
    log: list[str] = []
    try:
        read_until(process, "toy: executing", log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the template and the kernel forked from it
            descendants = psutil.Process(process.pid).children(recursive=True)
            if any("ipykernel" in " ".join(p.cmdline()) or p.parent().pid != process.pid for p in descendants if p.is_running()):  # fmt: skip
                break
            time.sleep(0.1)
        second = build(toy)
        assert second.returncode == 1
        assert second.stderr.splitlines()[0].startswith(f"[book] ERROR: another build of this book is running (pid {process.pid} on ")  # fmt: skip
        descendants = psutil.Process(process.pid).children(recursive=True)
        assert len(descendants) >= 3  # worker, template, kernel
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        if process.poll() is None:
            process.kill()
    rest = process.stdout.read()
    assert "[book] stopped (SIGTERM); the previously published book was left unchanged" in rest
    no_process_left(toy, descendants)
    assert published(toy) == before
    flag.write_text("")
    write_toy_notebook(toy)
    assert "lock of a build that ended" not in ok(build(toy))  # released on the way out


@pytest.mark.slow
def test_a_watcher_holds_the_lock_for_as_long_as_it_runs(toy):
    watcher = start(toy, "--watch")
    log: list[str] = []
    try:
        read_until(watcher, "[watch] watching ", log)
        refused = build(toy)
        assert refused.returncode == 1
        assert f"(pid {watcher.pid} on " in refused.stderr and "--watch" in refused.stderr
        watcher.send_signal(signal.SIGTERM)
        assert watcher.wait(timeout=60) == 0
    finally:
        if watcher.poll() is None:
            watcher.kill()
    assert "nothing changed" in ok(build(toy))


# --- damaged manifest -----------------------------------------------------------------------

GOOD = {"version": 1, "chapters": {"rd": {"fingerprint": {}, "reads": [], "globs": []}}, "book": None}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (json.dumps(GOOD)[:40], "not valid JSON"),
        ("[]", "not a JSON object"),
        ('{"version": 1, "book": null}', "no 'chapters' mapping"),
        ('{"version": 1, "chapters": {"rd": {"reads": []}}}', "chapter 'rd' has no fingerprint"),
        (
            '{"version": 1, "chapters": {"rd": {"fingerprint": {}, "reads": "x"}}}',
            "chapter 'rd': 'reads' is not a list",
        ),  # fmt: skip
        (
            '{"version": 1, "chapters": {"rd": {"fingerprint": {}, "modules": 3}}}',
            "chapter 'rd': 'modules' is not a list or null",
        ),  # fmt: skip
        ('{"version": 1, "chapters": {}, "book": 7}', "'book' is not a hash"),
        ('{"version": 0, "chapters": {}}', "version 0, not 1"),
    ],
)
def test_a_damaged_manifest_means_every_chapter_runs_with_a_notice(tmp_path, capsys, text, problem):  # fmt: skip
    target = runner.Target("t", tmp_path / "gen", tmp_path / "html", tmp_path / "m.json")
    target.manifest.write_text(text, encoding="utf-8")
    plans = runner.plan(CHAPTERS, runner.load_manifest(target.manifest), target)
    assert all(p.run and p.reason == "no previous run" for p in plans)
    notice = capsys.readouterr().out.splitlines()
    assert len(notice) == 1
    assert notice[0].startswith(f"[book] notice: the build record {target.manifest} is damaged ({problem}")  # fmt: skip
    assert notice[0].endswith("): every chapter runs")


def test_a_sound_or_missing_manifest_gives_no_notice(tmp_path, capsys):
    assert runner.load_manifest(tmp_path / "none.json")["chapters"] == {}
    (tmp_path / "m.json").write_text(json.dumps(GOOD))
    assert runner.load_manifest(tmp_path / "m.json") == GOOD
    assert capsys.readouterr().out == ""


# --- file-system errors ---------------------------------------------------------------------


def test_a_file_system_error_is_one_line_naming_the_path(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "BUILD_DIR", tmp_path / "_build")
    path = tmp_path / "_build" / ".work" / "default" / "src" / "book" / "_generated" / "rd.ipynb"

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(runner, "run", full)
    assert runner.main([]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"[book] ERROR: file system error on {path}: No space left on device [ENOSPC]",
        "[book] The previously published book was left unchanged.",
    ]
    error = shutil.Error([("a", "b", "[Errno 28] No space left on device")])
    assert runner.os_error_line(error) == "file system error on b: [Errno 28] No space left on device"  # fmt: skip


def _immutable(path: Path, on: bool) -> bool:
    result = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
    return result.returncode == 0


@pytest.mark.slow
def test_a_read_only_build_folder_is_one_line_and_the_book_stays(toy):
    before = published(toy)
    build_dir = toy / "_build"
    if not _immutable(build_dir, True):
        pytest.skip("chattr +i is not available here (needs root on ext2/3/4)")
    try:
        result = build(toy, "--force")
    finally:
        _immutable(build_dir, False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    error, rest = result.stderr.splitlines()  # one line, then the usual one
    path = re.escape(str(build_dir))
    assert re.fullmatch(rf"\[book\] ERROR: file system error on {path}/\S+: Operation not permitted \[EPERM\]", error)  # fmt: skip
    assert rest == "[book] The previously published book was left unchanged."
    assert published(toy) == before


# --- Jupyter Book failures ------------------------------------------------------------------

JB_LOG = """Running Jupyter-Book v1.0.4
Running Sphinx v7.4.7
\x1b[91mExtension error:
Could not import extension nope (exception: No module named 'nope')\x1b[39;49;00m
Traceback (most recent call last):
  File "sphinx/registry.py", line 453, in load_extension
ModuleNotFoundError: No module named 'nope'
Traceback (most recent call last):
  File "jupyter_book/cli/main.py", line 317, in build
RuntimeError:
===============================================================================

There was an error in building your book. Look above for the cause.
"""


def test_a_jupyter_book_failure_shows_its_error_lines_not_the_end_of_its_log():
    assert runner.book_problems(JB_LOG) == (
        "Extension error:\nCould not import extension nope (exception: No module named 'nope')"
    )
    warnings = "reading sources... [100%] x\n/b/x.md:3: WARNING: unknown document: 'y'\n    more\nother line\n/b/z.md:1: ERROR: Unknown directive\nwriting output...\n"  # fmt: skip
    assert (
        runner.book_problems(warnings)
        == (
            "/b/x.md:3: WARNING: unknown document: 'y'\n    more\n/b/z.md:1: ERROR: Unknown directive"  # fmt: skip
        )
    )
    plain = "line 1\nline 2\nTraceback (most recent call last):\n  File \"jupyter_book/cli/main.py\"\nRuntimeError:\n=====\n\nThere was an error in building your book. Look above for the cause.\n"  # fmt: skip
    assert runner.book_problems(plain) == "line 1\nline 2"
    chained = "start\nTraceback (most recent call last):\n  File \"jupyter_book/config.py\"\nValueError: To use 'repository' buttons, you must specify the repository URL\n"  # fmt: skip
    assert runner.book_problems(chained) == "ValueError: To use 'repository' buttons, you must specify the repository URL"  # fmt: skip
    assert runner.book_problems(JB_LOG.replace("Extension error:", "")).startswith("ModuleNotFoundError: No module named 'nope'")  # fmt: skip


@pytest.mark.slow
def test_a_failing_book_build_reports_sphinxs_error(toy):
    before = published(toy)
    config_file = toy / "_config.yml"
    settings = yaml.safe_load(config_file.read_text())
    settings["sphinx"]["extra_extensions"] = ["toy_missing_extension"]
    config_file.write_text(yaml.safe_dump(settings))
    result = build(toy)
    assert result.returncode == 1
    assert "Extension error:\nCould not import extension toy_missing_extension" in result.stderr
    assert "Look above for the cause" not in result.stderr
    assert published(toy) == before


# --- inputs beyond the repository: the CBS cache and whether CBS answered --------------------


class _Answer(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def cbs_server():
    """A loopback server that answers every request (CBS open data online)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ODataApi/odata"
    server.shutdown()
    server.server_close()


def _recorded(tmp_path, monkeypatch, online: dict):
    """A manifest of a run in which the first chapter imported the CBS client and found CBS
    open data ``online`` (as :func:`runner.sources_answered` records it); plans against it
    (a function). CBS open data is a closed port (no answer)."""
    monkeypatch.setenv(config.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("RI_CBS_ODATA", "http://127.0.0.1:9/odata")
    user, other = list(CHAPTERS)[:2]
    modules = {name: ["helpers", "helpers.config"] for name in CHAPTERS}
    modules[user].append(runner.CBS_MODULE)
    manifest, again = _planned(tmp_path, monkeypatch, runner.helpers_files(), modules)
    manifest["chapters"][user]["online"] = online
    return user, other, manifest, lambda: again({})


def test_a_chapter_using_the_cbs_client_reruns_when_the_cbs_cache_changes(tmp_path, monkeypatch):
    user, other, manifest, again = _recorded(tmp_path, monkeypatch, {"cbs": False})
    assert manifest["chapters"][user]["fingerprint"]["cbs_cache"] == runner.cbs_cache_state()
    assert manifest["chapters"][other]["fingerprint"]["cbs_cache"] is None
    assert not any(p.run for p in again().values())
    cache = tmp_path / "cache" / "cbs"
    cache.mkdir(parents=True)
    (cache / "85525NED-0123.json").write_text("{}")  # the data arrived (another build fetched)
    plans = again()
    assert plans[user].run and plans[user].reason == f"CBS cache changed ({cache})"
    assert not plans[other].run


def test_a_chapter_built_while_cbs_did_not_answer_reruns_once_it_answers(tmp_path, monkeypatch, cbs_server):  # fmt: skip
    user, other, manifest, again = _recorded(tmp_path, monkeypatch, {"cbs": False})
    assert not any(p.run for p in again().values())  # still offline: nothing to gain
    monkeypatch.setenv("RI_CBS_ODATA", cbs_server)
    plans = again()
    assert plans[user].run and plans[user].reason == "CBS open data answers now (the last run was offline)"  # fmt: skip
    assert not plans[other].run
    # built while it answered: not run again for that
    (tmp_path / "online").mkdir()
    user, other, manifest, again = _recorded(tmp_path / "online", monkeypatch, {"cbs": True})  # fmt: skip
    assert not any(p.run for p in again().values())


def test_whether_cbs_answered_is_recorded_for_the_chapters_using_it(monkeypatch, cbs_server):
    results = {"a": {"modules": ["helpers", runner.CBS_MODULE]}, "b": {"modules": ["helpers"]}}
    monkeypatch.setenv("RI_CBS_ODATA", cbs_server)
    assert runner.cbs_answers() is True
    assert runner.sources_answered(results) == {"a": {"cbs": True}}
    monkeypatch.setenv("RI_CBS_ODATA", "http://127.0.0.1:9/odata")
    assert runner.cbs_answers() is False
    assert runner.sources_answered(results) == {"a": {"cbs": False}}
    assert runner.sources_answered({"b": results["b"]}) == {}  # nobody asks
