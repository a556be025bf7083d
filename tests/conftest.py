"""Shared fixtures: raw-data availability, notebook execution and glue extraction."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

import pytest

from helpers import config
from helpers.data.registry import raw_data_available

ROOT = config.ROOT

# `make test-fast` (-m "not slow and not browser") runs unit tests only. Marked slow here:
# tests that re-run the processing on the raw files (they use the `raw_mirror` fixture) and
# test modules that start Jupyter kernels and execute notebooks without a `slow` mark of their
# own. `make test` runs them all.
EXECUTES_NOTEBOOKS = {"test_kernel_fork.py"}


def pytest_collection_modifyitems(config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.name in EXECUTES_NOTEBOOKS or "raw_mirror" in item.fixturenames:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def raw_mirror() -> Path | None:
    """Raw data (mirror or download); skips with the reason when it cannot be reached."""
    from helpers.data.processing import STEPS

    ok, reason = raw_data_available([s for step in STEPS.values() for s in step.SOURCES])
    if not ok:
        pytest.skip(f"raw data not reachable (set {config.MIRROR_ENV} to a mirror): {reason}")
    return config.mirror_dir()


def read_glue(notebook: Path) -> dict[str, str]:
    """All glued text values of an executed notebook: {key: text}."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    values: dict[str, str] = {}
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if scrap:
                data = output["data"]
                text = data.get(scrap["mime_prefix"] + "text/plain", "")
                values[scrap["name"]] = text.strip("'\"")
    return values


def markdown_outputs(notebook: Path) -> str:
    """All text/markdown outputs of an executed notebook, joined."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text:
                parts.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(parts)


@pytest.fixture(scope="session")
def run_notebook(tmp_path_factory: pytest.TempPathFactory):
    """Execute a chapter notebook with papermill (as an analyst would) in a temp folder."""
    import papermill

    from helpers.build.runner import KERNEL_NAME, ensure_kernel

    ensure_kernel()

    def run(name: str, **parameters: object) -> Path:
        workdir = tmp_path_factory.mktemp(name)
        output = workdir / f"{name}.ipynb"
        papermill.execute_notebook(
            str(ROOT / "notebooks" / f"{name}.ipynb"),
            str(output),
            parameters=parameters,
            cwd=str(workdir),
            kernel_name=KERNEL_NAME,
            progress_bar=False,
        )
        return output

    return run


def copy_project(target: Path) -> Path:
    """Copy the project's files (tracked and untracked, not ignored) to ``target``: a checkout
    to build the book in without touching ROOT (run the runner on it with :func:`run_runner`)."""
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split("\0")  # fmt: skip
    for name in files:
        source = ROOT / name
        if name and source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def record_checksum(project: Path, name: str) -> None:
    """After a test changed ``data/<name>`` in a copy of the project on purpose: record its new
    checksum in the copy's ``data/CHECKSUMS.tsv`` (what ``make checksums`` does)."""
    path = project / "data" / name
    sums = project / "data" / config.CHECKSUMS_NAME
    line = f"{name}\t{config.file_sha256(path)}\t{path.stat().st_size}"
    rows = [line if r.split("\t")[0] == name else r for r in sums.read_text().splitlines()]
    sums.write_text("\n".join(rows) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def book_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project files, to build the book in without touching ROOT."""
    target = copy_project(tmp_path_factory.mktemp("book") / "project")
    # Stray files a working copy has (caches, an analyst's papermill output) stay out of the book.
    (target / ".pytest_cache").mkdir()
    (target / ".pytest_cache" / "README.md").write_text("# cache\n")
    (target / "out.ipynb").write_text("{}")
    return target


@pytest.fixture(scope="session")
def built(book_copy: Path) -> tuple[Path, subprocess.CompletedProcess]:
    """The whole book built by the runner on the copy (once per test session)."""
    result = run_runner(book_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    return book_copy, result


def run_runner(project: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the build runner on another checkout (RI_ROOT) with this interpreter."""
    env = dict(os.environ, RI_ROOT=str(project))
    return subprocess.run(
        [sys.executable, "-m", "helpers.build.runner", *args],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip


CBS_FIXTURES = Path(__file__).parent / "fixtures" / "cbs_odata"


class _CbsHandler(http.server.BaseHTTPRequestHandler):
    """Serves the recorded OData responses: /<table>/<endpoint>[?$skip=N] ->
    <table>/<endpoint>[.skipN].json; other query options are ignored (like a recording)."""

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        parsed = urllib.parse.urlsplit(self.path)
        table, endpoint = parsed.path.strip("/").split("/")[-2:]
        skip = urllib.parse.parse_qs(parsed.query).get("$skip")
        name = f"{endpoint}.skip{skip[0]}.json" if skip else f"{endpoint}.json"
        path = CBS_FIXTURES / table / name
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        if not path.exists():
            self.send_error(404)
            return
        base = f"http://127.0.0.1:{self.server.server_port}"
        body = path.read_text(encoding="utf-8").replace("__BASE__", base).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def cbs_server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A local CBS OData server with recorded responses; RI_CBS_ODATA points at it and the
    download cache is a fresh temp folder."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _CbsHandler)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("RI_CBS_ODATA", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("RI_DATA_CACHE", str(tmp_path / "cache"))
    yield server
    server.shutdown()
