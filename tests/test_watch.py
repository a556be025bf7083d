"""Watch mode (``ri-book --watch``, ``make watch``): the watcher republishes after a change like
a build does, keeps the previous book when a change fails and goes on, and leaves no process
behind when it is stopped.

Every watcher runs on its own copy of a project built once by the runner (module fixture), with
the copy's own ``src`` first on ``PYTHONPATH`` (as in ``test_incremental_book``)."""

from __future__ import annotations

import json
import os
import queue
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

from conftest import copy_project, record_checksum
from helpers.build import watch

NOTEBOOK = Path("notebooks/rd.ipynb")
DATA = Path("data/processed/rd/patents_nuts3_nl.csv")  # read by the R&D chapter only


def _env(project: Path) -> dict[str, str]:
    return dict(
        os.environ, RI_ROOT=str(project), PYTHONPATH=str(project / "src"), PYTHONUNBUFFERED="1"
    )


def _build(project: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "helpers.build.runner"],
        cwd=project, env=_env(project), capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class Watcher:
    """``python -m helpers.build.runner --watch`` on ``project``; its output line by line."""

    def __init__(self, project: Path, *args: str) -> None:
        self.project = project
        self.process = subprocess.Popen(
            [sys.executable, "-m", "helpers.build.runner", "--watch", *args],
            cwd=project, env=_env(project), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        self.log: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def wait_for(self, pattern: str, timeout: float = 300) -> re.Match:
        """The next line (after those already waited for) matching ``pattern``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._lines.get(timeout=1)
            except queue.Empty:
                continue
            if line is None:
                break
            self.log.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        pytest.fail(f"no line matching {pattern!r}; the watcher wrote:\n" + "\n".join(self.log))

    def descendants(self) -> list[psutil.Process]:
        return psutil.Process(self.process.pid).children(recursive=True)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30) -> float:
        """Send ``signum``; check it exits with 0 and leaves no process of its own behind.
        Returns the seconds it took to exit."""
        before = self.descendants()
        started = time.monotonic()
        self.process.send_signal(signum)
        code = self.process.wait(timeout=timeout)
        seconds = time.monotonic() - started
        self.wait_for(r"\[watch\] stopped", timeout=5)
        assert code == 0, "\n".join(self.log)
        assert_no_process_left(self.project, before)
        return seconds


def assert_no_process_left(project: Path, processes: list[psutil.Process]) -> None:
    """None of ``processes`` is alive (zombies not waited for count as alive), and no process
    works on ``project`` (every process a watcher starts has its RI_ROOT)."""
    gone, alive = psutil.wait_procs(processes, timeout=10)
    assert not alive, [(p.pid, p.status()) for p in alive]
    left = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("RI_ROOT") == str(project) and process.pid != os.getpid():
                left.append((process.pid, process.status(), process.cmdline()))
        except psutil.Error:
            continue
    assert not left


def _text(html: str) -> str:
    """A page's text: scripts and tags removed, blanks collapsed."""
    return " ".join(re.sub(r"<script.*?</script>|<[^>]+>", " ", html, flags=re.S).split())


def _ended(process: psutil.Process) -> None:
    """Wait until ``process`` (not a child of this one) has ended: gone, or a zombie its
    parent has not collected yet."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if process.status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        time.sleep(0.05)
    pytest.fail(f"process {process.pid} still runs")


def _page_text(project: Path) -> dict[str, str]:
    """The text of every page of the published book."""
    html = project / "_build" / "html"
    return {
        page.relative_to(html).as_posix(): _text(page.read_text(encoding="utf-8"))
        for page in sorted(html.rglob("*.html"))
    }


def _html_bytes(project: Path) -> dict[str, bytes]:
    html = project / "_build" / "html"
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in html.rglob("*") if p.is_file()}


def _edit_notebook(project: Path, sentence: str = "", code: str = "") -> None:
    """Add ``sentence`` to the R&D notebook's first Markdown cell after the title, and a code
    cell ``code`` after its parameters cell."""
    path = project / NOTEBOOK
    nb = json.loads(path.read_text(encoding="utf-8"))
    if sentence:
        cell = [c for c in nb["cells"] if c["cell_type"] == "markdown"][1]
        cell["source"] = "".join(cell["source"]).rstrip("\n") + f" {sentence}\n"
    if code:
        index = next(
            i for i, c in enumerate(nb["cells"]) if "parameters" in c["metadata"].get("tags", [])
        )
        nb["cells"].insert(
            index + 1,
            {"cell_type": "code", "execution_count": None, "id": "watch-test",
             "metadata": {}, "outputs": [], "source": code},
        )  # fmt: skip
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _change_data(project: Path) -> None:
    """Add a line to :data:`DATA` and record its new checksum in the copy's
    ``data/CHECKSUMS.tsv`` at once (a deliberate change, as ``make checksums`` records it)."""
    data = project / DATA
    data.write_bytes(data.read_bytes() + b"\n")
    record_checksum(project, DATA.relative_to("data").as_posix())


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project, built once by the runner."""
    project = copy_project(tmp_path_factory.mktemp("watch") / "base")
    _build(project)
    return project


@pytest.fixture
def watched(base: Path, tmp_path: Path):
    """A watcher on a copy of ``base`` that has done its first build (nothing to do)."""
    project = tmp_path / "project"
    shutil.copytree(base, project, symlinks=True)
    watcher = Watcher(project)
    watcher.wait_for(r"\[watch\] up to date, nothing to publish in")
    watcher.wait_for(r"\[watch\] watching ")
    yield watcher
    if watcher.process.poll() is None:
        for process in watcher.descendants():
            process.kill()
        watcher.process.kill()
        watcher.process.wait()


@pytest.mark.slow
def test_a_changed_notebook_is_republished_as_a_build_makes_it(watched, base, tmp_path):
    _edit_notebook(watched.project, sentence="Een zin van de watcher.")
    found = watched.wait_for(r"\[watch\] (\S+.*?) in ([\d.]+) s \(changed: (.*)\)")
    assert found.group(1) == "republished" and found.group(3) == NOTEBOOK.as_posix()
    assert any(re.search(r"\) rd: executing .*reason: notebook changed", line) for line in watched.log)  # fmt: skip
    assert [line for line in watched.log if ": executing " in line and ") rd:" not in line] == []
    assert any("[book] published:" in line for line in watched.log)

    # the same change, built by the runner on another copy of the same book
    reference = tmp_path / "reference"
    shutil.copytree(base, reference, symlinks=True)
    _edit_notebook(reference, sentence="Een zin van de watcher.")
    _build(reference)
    pages = _page_text(watched.project)
    assert "Een zin van de watcher." in pages["book/_generated/rd.html"]
    assert pages == _page_text(reference)

    # Ctrl-C when idle: stopped, nothing left
    watched.stop(signal.SIGINT)


@pytest.mark.slow
def test_a_failing_change_keeps_the_book_and_the_watcher_goes_on(watched):
    published = _html_bytes(watched.project)
    original = (watched.project / NOTEBOOK).read_text(encoding="utf-8")
    _edit_notebook(watched.project, code="raise ValueError('fout van de watch-test')")
    watched.wait_for(r"\[watch\] FAILED after [\d.]+ s \(changed: notebooks/rd.ipynb\); the previous book stays published")  # fmt: skip
    text = "\n".join(watched.log)
    assert "rd: FAILED" in text and "fout van de watch-test" in text
    assert _html_bytes(watched.project) == published
    assert watched.process.poll() is None

    # the kernel template dies meanwhile; the next change is built with a new one
    template = [p for p in watched.descendants() if "kernel_fork.py" in " ".join(p.cmdline())]
    assert len(template) == 1
    template[0].kill()
    _ended(template[0])
    (watched.project / NOTEBOOK).write_text(original, encoding="utf-8")
    _change_data(watched.project)
    watched.wait_for(r"\[watch\] the kernel template had ended: starting a new one")
    watched.wait_for(r"\[watch\] republished in")
    assert any(re.search(r"\) rd: executing .*reason: data changed", line) for line in watched.log)  # fmt: skip
    assert "forked" in json.loads((watched.project / "_build" / "manifest.json").read_text())["chapters"]["rd"]["last_run"]["kernel"]  # fmt: skip
    before = {name: _text(html.decode()) for name, html in published.items() if name.endswith(".html")}  # fmt: skip
    assert _page_text(watched.project) == before
    watched.stop(signal.SIGTERM)


@pytest.mark.slow
def test_sigterm_during_a_rebuild_ends_it_and_every_process(watched):
    published = _html_bytes(watched.project)
    _edit_notebook(watched.project, code="import time\ntime.sleep(120)")
    watched.wait_for(r"\) rd: executing ")
    template = next(p for p in watched.descendants() if "kernel_fork.py" in " ".join(p.cmdline()))  # fmt: skip
    deadline = time.monotonic() + 60
    while not template.children() and time.monotonic() < deadline:  # the notebook's kernel
        time.sleep(0.1)
    assert template.children(), "\n".join(watched.log)
    seconds = watched.stop(signal.SIGTERM)
    assert seconds < 20  # the notebook's sleep is not waited for
    assert _html_bytes(watched.project) == published


@pytest.mark.slow
def test_a_change_to_the_builds_own_code_restarts_the_watcher(watched):
    """The watcher has imported the provenance page's module: it must not build with the old
    one. It starts anew (same process id, one kernel template) and builds the book again."""
    module = watched.project / "src" / "helpers" / "build" / "provenance.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    watched.wait_for(r"\[watch\] the build's own code changed \(src/helpers/build/provenance.py\): restarting the watcher")  # fmt: skip
    watched.wait_for(r"\[watch\] republished in")  # the book (no chapter: none imports it)
    watched.wait_for(r"\[watch\] watching ")
    assert watched.process.poll() is None
    assert not [line for line in watched.log if ": executing " in line]
    templates = [p for p in watched.descendants() if "kernel_fork.py" in " ".join(p.cmdline())]
    assert len(templates) == 1
    watched.stop(signal.SIGTERM)


@pytest.mark.slow
def test_the_kept_template_is_started_anew_for_other_packages_or_when_it_died():
    from helpers.build import runner

    kept = watch.KeptTemplate()
    command = runner.ensure_kernel()
    try:
        first = kept.ensure(command, "environment a")
        assert first is not None and first.alive()
        assert kept.ensure(command, "environment a") is first
        second = kept.ensure(command, "environment b")  # packages installed meanwhile
        assert second is not first and not first.alive() and second.alive()
        psutil.Process(second.pid).kill()
        _ended(psutil.Process(second.pid))
        third = kept.ensure(command, "environment b")
        assert third is not second and third.alive()
    finally:
        kept.close()
    assert not third.alive()


def test_snapshots_see_changes_but_not_built_files(tmp_path):
    (tmp_path / "notebooks" / "_assets").mkdir(parents=True)
    (tmp_path / "notebooks" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "notebooks" / "rd.ipynb").write_text("{}")
    (tmp_path / "params.yml").write_text("chapters: {}\n")
    paths = [tmp_path / "notebooks", tmp_path / "params.yml", tmp_path / "missing"]
    before = watch.snapshot(paths)
    (tmp_path / "notebooks" / "_assets" / "figure.png").write_bytes(b"png")
    (tmp_path / "notebooks" / ".ipynb_checkpoints" / "rd-checkpoint.ipynb").write_text("{}")
    assert watch.snapshot(paths) == before
    (tmp_path / "notebooks" / "rd.ipynb").write_text('{"cells": []}')
    (tmp_path / "notebooks" / "new.ipynb").write_text("{}")
    (tmp_path / "params.yml").unlink()
    after = watch.snapshot(paths)
    changed = watch.changed_files(before, after)
    assert [Path(c).name for c in changed] == ["new.ipynb", "rd.ipynb", "params.yml"]
