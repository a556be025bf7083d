"""Kernels forked from the warm template behave like freshly started kernels."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from helpers.build import kernel_fork
from helpers.build.runner import KERNEL_NAME, ensure_kernel

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the template forks (Linux)")

# What a notebook can observe of the process it runs in.
PROBE = """\
import importlib, os, sys, warnings
for name in PRELOAD:  # a kernel that imports what the template preloads (env vars they set)
    importlib.import_module(name)
import matplotlib
import matplotlib.pyplot as plt
from helpers.presentation import maps, narrative
from helpers.geography import nl  # the book's own code: imported after the fork
import pandas as pd
print(repr({
    "cwd": os.getcwd(),
    "argv0": os.path.basename(sys.argv[0]),
    "path": sys.path,
    "env": sorted(k for k in os.environ if k not in ("JPY_PARENT_PID", "RI_KERNEL_TEMPLATE")),
    "trace": os.environ.get("RI_TRACE_READS"),
    "filters": sorted(map(str, warnings.filters)),
    "backend": matplotlib.get_backend(),
    "max_rows": pd.get_option("display.max_rows"),
    "parent": int(os.environ["JPY_PARENT_PID"]) == os.getppid(),
}))
pd.set_option("display.max_rows", 3)  # must not leak into the next kernel
plt.plot([1, 2, 3])
plt.show()
""".replace("PRELOAD", repr(kernel_fork.PRELOAD))


def _notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME, "language": "python"}  # fmt: skip
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nbformat.write(nb, path)
    return path


def _execute(notebook: Path, output: Path, **kwargs: object) -> nbformat.NotebookNode:
    import papermill

    papermill.execute_notebook(
        str(notebook), str(output), kernel_name=KERNEL_NAME, progress_bar=False,
        cwd=str(output.parent), **kwargs,
    )  # fmt: skip
    return nbformat.read(output, as_version=4)


def _observed(nb: nbformat.NotebookNode) -> tuple[dict, set[str]]:
    outputs = nb.cells[0].outputs
    text = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
    kinds = {key for o in outputs for key in o.get("data", {})}
    return ast.literal_eval(text.strip().splitlines()[-1]), kinds


@pytest.fixture(scope="module")
def template():
    argv = ensure_kernel()
    options, _ = kernel_fork.kernel_command(argv)
    with kernel_fork.KernelTemplate(interpreter_options=options) as running:
        yield running


def test_kernel_command_is_recognised_only_for_an_ipykernel_of_this_environment():
    python = sys.executable
    assert kernel_fork.kernel_command([python, "-m", "ipykernel_launcher", "-f", "c.json"]) == (
        [],
        ["-f", "c.json"],
    )
    assert kernel_fork.kernel_command(
        [python, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json"]
    ) == (["-Xfrozen_modules=off"], ["-f", "c.json"])
    assert kernel_fork.kernel_command([python, "-m", "other_kernel", "-f", "c.json"]) is None
    assert kernel_fork.kernel_command([python, "-c", "x", "-m", "ipykernel_launcher"]) is None
    other = "/opt/another-env/bin/python"
    assert kernel_fork.kernel_command([other, "-m", "ipykernel_launcher", "-f", "c"]) is None


def test_template_preloads_libraries_but_not_the_book_or_kernel_aware_modules():
    """The template must not import the book's code (it reads its environment when imported)
    nor modules that behave differently once imported inside a kernel."""
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('kf', {kernel_fork.__file__!r})\n"
        "kf = importlib.util.module_from_spec(spec); spec.loader.exec_module(kf)\n"
        "kf._preload()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('helpers', 'tqdm', 'matplotlib_inline', 'pandas', 'geopandas', 'folium')"
        " and m.count('.') == 0 or m in ('tqdm.auto', 'matplotlib_inline.backend_inline')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/"
    )
    loaded = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    assert {"pandas", "geopandas", "folium"} <= set(loaded)
    assert not {"helpers", "tqdm.auto", "matplotlib_inline.backend_inline"} & set(loaded)


def test_template_forks_single_threaded_and_uses_no_private_interpreter_api():
    """Python 3.12+ warns when a multi-threaded process forks (the child may deadlock): the
    template may import libraries that start threads (OpenBLAS) only if they stop them around
    a fork, so right after forking it has one thread. And no ``module._private`` names of the
    standard library (they change between Python versions)."""
    code = (
        "import importlib.util, os, sys, warnings\n"
        f"spec = importlib.util.spec_from_file_location('kf', {kernel_fork.__file__!r})\n"
        "kf = importlib.util.module_from_spec(spec); spec.loader.exec_module(kf)\n"
        "kf._preload()\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        os._exit(0)\n"
        "    threads = len(os.listdir('/proc/self/task'))\n"
        "    os.waitpid(pid, 0)\n"
        "print(threads, [str(w.message) for w in caught])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/"
    )
    assert result.stdout.split(None, 1) == ["1", "[]\n"]
    source = Path(kernel_fork.__file__).read_text(encoding="utf-8")
    private = r"\b(?:atexit|gc|os|signal|socket|subprocess|sys|warnings)\._[a-z]\w*"
    assert re.findall(private, source) == []


def test_forked_kernel_sees_what_a_started_kernel_sees(template, tmp_path, monkeypatch):
    monkeypatch.setenv("RI_TRACE_READS", str(tmp_path / "reads.tsv"))  # set per notebook
    probe = _notebook(tmp_path / "probe.ipynb", PROBE)
    (tmp_path / "spawn").mkdir()
    (tmp_path / "fork").mkdir()
    spawned, spawned_kinds = _observed(_execute(probe, tmp_path / "spawn" / "out.ipynb"))
    kernel_fork.launched_pids.clear()
    forked_nb = _execute(
        probe,
        tmp_path / "fork" / "out.ipynb",
        kernel_manager_class=kernel_fork.ForkingKernelManager,
    )
    forked, forked_kinds = _observed(forked_nb)
    assert len(kernel_fork.launched_pids) == 1  # the kernel did come from the template
    assert spawned["cwd"].endswith("spawn") and forked["cwd"].endswith("fork")
    spawned["cwd"] = forked["cwd"] = None
    assert forked == spawned
    assert forked["trace"] == str(tmp_path / "reads.tsv")
    assert forked["backend"] == "module://matplotlib_inline.backend_inline"
    assert "image/png" in forked_kinds and forked_kinds == spawned_kinds
    assert forked["parent"]  # it exits when the template goes


def test_forked_kernels_do_not_share_state_and_exit_after_use(template, tmp_path):
    probe = _notebook(tmp_path / "probe.ipynb", PROBE)
    kernel_fork.launched_pids.clear()
    values = []
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        nb = _execute(
            probe,
            tmp_path / name / "out.ipynb",
            kernel_manager_class=kernel_fork.ForkingKernelManager,
        )
        values.append(_observed(nb)[0]["max_rows"])
    assert values == [60, 60]  # the first kernel's set_option did not reach the second
    assert len(set(kernel_fork.launched_pids)) == 2
    for pid in kernel_fork.launched_pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_forked_kernel_exits_like_a_started_kernel(template, tmp_path):
    """A kernel ends the normal way: the interpreter exits, running atexit handlers (as
    IPython's history does), with the status ``sys.exit`` gives."""
    probe = _notebook(
        tmp_path / "probe.ipynb",
        "import atexit, os\n"
        "atexit.register(lambda: open('exited.txt', 'w').write(str(os.getpid())))\n"
        "print(os.getpid())",
    )
    kernel_fork.launched_pids.clear()
    pids = {}
    for name, manager in (("spawn", {}), ("fork", {"kernel_manager_class": kernel_fork.ForkingKernelManager})):  # fmt: skip
        (tmp_path / name).mkdir()
        nb = _execute(probe, tmp_path / name / "out.ipynb", **manager)
        pids[name] = nb.cells[0].outputs[0]["text"].strip()
    assert kernel_fork.launched_pids == [int(pids["fork"])]
    for name, pid in pids.items():
        assert (tmp_path / name / "exited.txt").read_text() == pid, name


def test_error_in_a_forked_kernel_names_the_cell(template, tmp_path):
    from papermill.exceptions import PapermillExecutionError

    bad = _notebook(tmp_path / "bad.ipynb", "x = 1\nraise ValueError('broken on purpose')")
    with pytest.raises(PapermillExecutionError, match="broken on purpose"):
        _execute(bad, tmp_path / "out.ipynb", kernel_manager_class=kernel_fork.ForkingKernelManager)


def test_without_a_template_the_kernel_starts_normally(tmp_path, monkeypatch):
    ensure_kernel()
    monkeypatch.setenv(kernel_fork.SERVER_ENV, str(tmp_path / "no-such.sock"))
    probe = _notebook(tmp_path / "probe.ipynb", "print(6 * 7)")
    kernel_fork.launched_pids.clear()
    nb = _execute(
        probe, tmp_path / "out.ipynb", kernel_manager_class=kernel_fork.ForkingKernelManager
    )
    assert nb.cells[0].outputs[0]["text"].strip() == "42"
    assert kernel_fork.launched_pids == []
