"""The analyst's loop on a copy of the project: what a change re-runs, and that a book built
from the previous build's Sphinx state is the book a clean build makes.

The copy's own ``src`` comes first on ``PYTHONPATH``, so the runner hashes, and its kernels
import, the copy's helper modules (the installed package is the working tree's): an edit to
a module of the copy is an edit the build sees."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import config

pytestmark = pytest.mark.slow


def _copy(target: Path) -> Path:
    names = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=config.ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")  # fmt: skip
    for name in filter(None, names):
        if (config.ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(config.ROOT / name, target / name)
    return target


def _build(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, RI_ROOT=str(project), PYTHONPATH=str(project / "src"))
    return subprocess.run(
        [sys.executable, "-m", "helpers.build.runner", *args],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


def _ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _executed(stdout: str) -> set[str]:
    return set(re.findall(r"\) (\S+): executing", stdout))


def _pages_read(stdout: str) -> str:
    return re.search(r"HTML built in .* \(pages read: (.*)\)", stdout).group(1)


def _manifest(project: Path) -> dict:
    return json.loads((project / "_build" / "manifest.json").read_text(encoding="utf-8"))


def _html(project: Path) -> dict[str, bytes]:
    html = project / "_build" / "html"
    return {p.relative_to(html).as_posix(): p.read_bytes() for p in html.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = _copy(tmp_path_factory.mktemp("analyst") / "project")
    stdout = _ok(_build(project))
    assert "pages read: all" in stdout
    again = _ok(_build(project))  # records what each kernel imported: nothing to redo
    assert "nothing changed" in again and not _executed(again)
    return project


def test_the_build_uses_the_copys_helpers_and_records_their_imports(project):
    chapters = _manifest(project)["chapters"]
    for name, record in chapters.items():
        assert "helpers.config" in record["modules"], name
        assert any(m.startswith("helpers.chapters.") for m in record["modules"]), name
        assert all(f.endswith(".py") or "(no file)" in f for f in record["fingerprint"]["helpers"])
    assert (project / "_build" / ".cache" / "sphinx" / "default" / "key").is_file()


def test_changing_a_chapter_module_reruns_only_the_chapters_importing_it(project):
    chapters = _manifest(project)["chapters"]
    importers = {n for n, r in chapters.items() if "helpers.chapters.rd" in r["modules"]}
    assert importers == {"rd"}  # chapter modules are not imported by other chapters
    module = project / "src" / "helpers" / "chapters" / "rd.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    stdout = _ok(_build(project))
    assert _executed(stdout) == importers
    assert "reason: helper code changed: chapters/rd.py" in stdout
    assert "kernels are forked from a template" in stdout  # one notebook: the template too
    assert _pages_read(stdout) == "rd"  # the other pages: the last build's reading


def test_changing_a_module_every_chapter_imports_reruns_them_all(project):
    chapters = _manifest(project)["chapters"]
    common = set.intersection(*(set(r["modules"]) for r in chapters.values()))
    shared = sorted(m for m in common if m.startswith("helpers.presentation."))
    assert shared, common
    module = project / "src" / Path(*shared[0].split(".")).with_suffix(".py")
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    stdout = _ok(_build(project))
    assert _executed(stdout) == set(chapters)
    result = _ok(_build(project))
    assert "nothing changed" in result and not _executed(result)


def test_a_book_rebuilt_from_the_last_build_equals_a_clean_build(project):
    """A new title (navigation of every page) and another year (numbers glued into the first
    page, figures): the pages that were not read again are written anew from the kept state,
    byte for byte what a clean build writes."""
    notebook = project / "notebooks" / "rd.ipynb"
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    first = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    source = "".join(first["source"])
    assert source.startswith("# ")
    first["source"] = source.replace("\n", " (bewerkt)\n", 1)
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    stdout = _ok(_build(project, "--set", "rd.year=2016"))
    assert _executed(stdout) == {"rd"}
    assert "all" not in _pages_read(stdout) and "rd" in _pages_read(stdout).split(", ")
    incremental = _html(project)
    intro = incremental["book/intro.html"].decode()
    assert "(bewerkt)" in intro and "In 2016 ging" in re.sub(r"<[^>]+>", "", intro)

    shutil.rmtree(project / "_build" / ".cache")  # no kept state: a clean Sphinx build
    (project / "_build" / "html" / "index.html").unlink()  # (else: nothing to do)
    stdout = _ok(_build(project, "--set", "rd.year=2016"))
    assert not _executed(stdout) and _pages_read(stdout).startswith("all")
    clean = _html(project)
    assert sorted(clean) == sorted(incremental)
    assert [name for name in clean if clean[name] != incremental[name]] == []


def test_a_failed_book_build_keeps_no_state_that_would_hide_its_warning(project):
    page = project / "book" / "conclusies.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + "\nZie {doc}`bestaat-niet`.\n", encoding="utf-8")
    for _ in range(2):  # the second build must not take the page as read already
        result = _build(project)
        assert result.returncode == 1 and "bestaat-niet" in result.stderr
        assert not (project / "_build" / ".cache" / "sphinx" / "default").exists()
    page.write_text(text, encoding="utf-8")
    stdout = _ok(_build(project))
    assert _pages_read(stdout).startswith("all")
    assert _pages_read(_ok(_build(project, "--force", "--only", "scale_ups"))) == "scale_ups"
