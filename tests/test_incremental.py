"""Change tracking of helper code without running notebooks: kernels note the helper modules
they import, and a chapter re-runs only when one of those modules changed."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers import config
from helpers.build import runner, sphinx_book

CHAPTERS = runner.load_params()


def _planned(tmp_path, monkeypatch, files: dict[str, str], modules: dict[str, list[str] | None]):
    """Plans against a manifest whose last run recorded ``modules`` per chapter, with the
    helper package's files replaced by ``files`` (path -> content hash)."""
    monkeypatch.setattr(runner, "helpers_files", lambda: dict(files))
    target = runner.Target("t", tmp_path / "gen", tmp_path / "html", tmp_path / "m.json")
    target.generated.mkdir(exist_ok=True)
    for name in CHAPTERS:
        (target.generated / f"{name}.ipynb").write_text("{}")
    plans = runner.plan(CHAPTERS, {"chapters": {}}, target)
    results = {
        p.chapter.name: {"reads": [], "globs": [], "seconds": 1.0, "peak_mb": 1.0,
                         "modules": modules.get(p.chapter.name)}
        for p in plans
    }  # fmt: skip
    runner.save_manifest(target, plans, results, {"chapters": {}}, None)
    manifest = runner.load_manifest(target.manifest)

    def again(changed: dict[str, str]) -> dict[str, runner.Plan]:
        monkeypatch.setattr(runner, "helpers_files", lambda: {**files, **changed})
        return {p.chapter.name: p for p in runner.plan(CHAPTERS, manifest, target)}

    return manifest, again


FILES = {
    "__init__.py": "a",
    "config.py": "b",
    "chapters/__init__.py": "c",
    "chapters/rd.py": "d",
    "chapters/europa.py": "e",
    "presentation/__init__.py": "f",
    "presentation/figures.py": "g",
    "data/processing/cordis.py": "h",
}


def test_a_chapter_reruns_only_when_a_module_it_imported_changed(tmp_path, monkeypatch):
    first, second = list(CHAPTERS)[:2]
    modules = {
        name: ["helpers", "helpers.config", "helpers.presentation", "helpers.presentation.figures"]
        for name in CHAPTERS
    }
    modules[first] += ["helpers.chapters", "helpers.chapters.rd", "helpers.chapters.gone"]
    manifest, again = _planned(tmp_path, monkeypatch, FILES, modules)
    assert manifest["chapters"][first]["modules"] == modules[first]
    assert set(manifest["chapters"][first]["fingerprint"]["helpers"]) == {
        "__init__.py", "config.py", "presentation/__init__.py", "presentation/figures.py",
        "chapters/__init__.py", "chapters/rd.py", "helpers.chapters.gone (no file)",
    }  # fmt: skip
    assert not any(p.run for p in again({}).values())

    plans = again({"chapters/rd.py": "changed"})
    assert {n for n, p in plans.items() if p.run} == {first}
    assert plans[first].reason == "helper code changed: chapters/rd.py"

    # a module no chapter imported (e.g. a processing step): nothing runs
    assert not any(p.run for p in again({"data/processing/cordis.py": "changed"}).values())
    # a module every chapter imported, and the settings every chapter depends on: all run
    for path in ("presentation/figures.py", "config.py", "__init__.py"):
        assert all(p.run for p in again({path: "changed"}).values()), path
    # a file for a module the chapter tried to import, which had none
    plans = again({"chapters/gone.py": "new"})
    assert plans[first].run and not plans[second].run


def test_without_a_record_of_imports_any_helper_change_reruns(tmp_path, monkeypatch):
    """A first run, a kernel that recorded nothing, or a manifest from before the records:
    the chapter depends on every helper module."""
    first = next(iter(CHAPTERS))
    _, again = _planned(tmp_path, monkeypatch, FILES, {first: []})
    plans = again({"data/processing/cordis.py": "changed"})
    assert plans[first].run and plans[first].reason.startswith("helper code changed")


def test_book_fingerprint_covers_all_helper_code(tmp_path, monkeypatch):
    """The book build itself uses helper code no chapter imports (the Sphinx extension, the
    provenance page): a change there rebuilds the HTML, without re-running a notebook."""
    manifest, _ = _planned(tmp_path, monkeypatch, FILES, dict.fromkeys(CHAPTERS, ["helpers"]))
    target = runner.Target("t", tmp_path / "gen", tmp_path / "html", tmp_path / "m.json")
    plans = runner.plan(CHAPTERS, manifest, target)
    before = runner.book_fingerprint(plans)
    monkeypatch.setattr(runner, "helpers_files", lambda: {**FILES, "build/provenance.py": "x"})
    plans = runner.plan(CHAPTERS, manifest, target)
    assert not any(p.run for p in plans)
    assert runner.book_fingerprint(plans) != before


def test_kernel_notes_each_helpers_module_it_imports(tmp_path):
    trace = tmp_path / "reads.tsv"
    code = "import json\nimport helpers.chapters.rd\nfrom helpers.presentation import figures\n"
    env = dict(os.environ, **{config.TRACE_ENV: str(trace)})
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=tmp_path)
    modules = runner.traced_modules(trace)
    assert {"helpers", "helpers.config", "helpers.chapters.rd"} <= set(modules)
    assert "helpers.presentation.figures" in modules
    assert all(m == "helpers" or m.startswith("helpers.") for m in modules)
    files, globs = runner.read_trace(trace)  # module lines are not data reads
    assert not [f for f in files + globs if f.startswith("helpers")]


def test_no_import_trace_without_the_runner(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != config.TRACE_ENV}
    code = (
        "import sys, helpers\nprint(any(type(f).__name__ == '_ImportTrace' for f in sys.meta_path))"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.strip() == "False"


def test_sphinx_extension_finds_leaflet_where_the_maps_do():
    from helpers.presentation import maps

    assert sphinx_book.leaflet_dir() == maps.leaflet_dir()
    assert (sphinx_book.leaflet_dir() / "leaflet.js").is_file()


def test_recording_the_imports_does_not_change_the_books_fingerprint(tmp_path, monkeypatch):
    """The book's fingerprint is taken before the notebooks run; the chapters' records of what
    they imported, made by that run, must not make the next build look changed."""
    monkeypatch.setattr(runner, "helpers_files", lambda: dict(FILES))
    target = runner.Target("t", tmp_path / "gen", tmp_path / "html", tmp_path / "m.json")
    first = runner.plan(CHAPTERS, {"chapters": {}}, target)
    manifest, _ = _planned(tmp_path, monkeypatch, FILES, dict.fromkeys(CHAPTERS, ["helpers"]))
    again = runner.plan(CHAPTERS, manifest, target)
    assert [p.fingerprint["helpers"] for p in again] != [p.fingerprint["helpers"] for p in first]
    assert runner.book_fingerprint(again) == runner.book_fingerprint(first)


def test_a_css_change_rebuilds_the_html(tmp_path, monkeypatch):
    """The book's CSS shapes every page: changing it rebuilds the HTML (no notebook runs)."""
    static = tmp_path / "static"
    static.mkdir()
    (static / "ri-book.css").write_text("table { color: black; }")
    monkeypatch.setattr(runner, "STATIC_DIR", static)
    manifest, _ = _planned(tmp_path, monkeypatch, FILES, dict.fromkeys(CHAPTERS, ["helpers"]))
    target = runner.Target("t", tmp_path / "gen", tmp_path / "html", tmp_path / "m.json")
    before = runner.book_fingerprint(runner.plan(CHAPTERS, manifest, target))
    (static / "ri-book.css").write_text("table { color: red; }")
    plans = runner.plan(CHAPTERS, manifest, target)
    assert not any(p.run for p in plans)
    assert runner.book_fingerprint(plans) != before


def test_the_leaflet_switch_reruns_the_chapters(tmp_path, monkeypatch):
    """RI_LEAFLET changes every interactive map a notebook draws: switching it re-runs them."""
    monkeypatch.delenv(config.LEAFLET_ENV, raising=False)
    manifest, _ = _planned(tmp_path, monkeypatch, FILES, dict.fromkeys(CHAPTERS, ["helpers"]))
    target = runner.Target("t", tmp_path / "gen", tmp_path / "html", tmp_path / "m.json")
    assert not any(p.run for p in runner.plan(CHAPTERS, manifest, target))
    monkeypatch.setenv(config.LEAFLET_ENV, "cdn")
    assert all(p.run for p in runner.plan(CHAPTERS, manifest, target))
