"""Start notebook kernels by forking a warm template process (Linux only).

Every chapter notebook starts a fresh IPython kernel that first imports the same heavy
libraries (pandas, geopandas, matplotlib, seaborn, folium, ...): about three seconds of CPU per
notebook before the first line of the chapter runs. The runner instead starts one *kernel
template* per build: a Python process that imports those libraries once and then waits. Each
kernel is a fork of it, so it starts with the libraries already loaded (copy-on-write) and runs
the notebook exactly as a freshly started kernel would: a new process, a new IPython shell and
namespace, the notebook's own working directory, environment and standard streams.

Environment variables that the preloaded libraries set when imported (``KMP_INIT_AT_FORK``,
``PYARROW_IGNORE_TIMEZONE``, ...) are set in every kernel, as if it had imported them; the
warning filters they install are kept too. Warnings they raise while being imported are not
shown (a started kernel would show them once, as stderr, which the book hides anyway).

What the template never does: import :mod:`helpers` (the book's own code is imported by the
notebook in the kernel, after the fork, with the kernel's environment), import modules that
behave differently once imported inside a kernel (``matplotlib_inline``'s backend, which hooks
into the running shell; ``tqdm.auto``, hence not ``pooch``), or start threads, event loops or
ZeroMQ sockets of its own. (OpenBLAS starts its worker threads when numpy is imported and
shuts them down around a fork itself: the template is single-threaded when it forks, so
Python 3.12+ has nothing to warn about.) The list of libraries is :data:`PRELOAD`; a library
missing from it is simply imported by the kernel as usual.

Only public interpreter interfaces are used (tested with Python 3.11 to 3.13): warnings raised
during the imports are kept from the terminal through :func:`warnings.showwarning`, and a
kernel ends as a started one does, by the interpreter's normal exit (atexit handlers run,
streams are flushed), only without a garbage collection of everything the libraries hold
(:func:`gc.freeze`), which took seconds that the notebook's run waited for.

Pieces:

* :class:`KernelTemplate` (runner side): starts the template process on a Unix socket and stops
  it at the end of the build (a kernel still alive then exits: it watches its parent).
* :class:`ForkingKernelManager` (worker side): the ``kernel_manager_class`` given to
  papermill/nbclient. Its provisioner asks the template for a kernel instead of starting a new
  interpreter, and falls back to the normal start when no template is available.
* ``python kernel_fork.py FD``: the template process itself (:func:`serve`).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, NoReturn

from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner

#: Environment variable holding the template's socket address (set by the runner).
SERVER_ENV = "RI_KERNEL_TEMPLATE"

#: Libraries the template imports before forking: what every chapter's first cell pulls in
#: through :mod:`helpers` (measured with ``python -X importtime``), plus the kernel itself.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython",
    "numpy",
    "pandas",
    "scipy.stats",
    "shapely",
    "pyproj",
    "geopandas",
    "matplotlib.pyplot",
    "seaborn",
    "mapclassify",
    "folium",
    "branca",
    "jinja2",
    "pandera.pandas",
    "requests",
    "yaml",
    "psutil",
    # not myst_nb: helpers.presentation.narrative glues without it (its import took ~1 s)
)

#: Seconds a worker waits for the template's answer before starting its kernel normally.
TEMPLATE_TIMEOUT = 120.0
#: Seconds between two looks of the template at its parent (it ends when the runner is gone).
PARENT_CHECK_SECONDS = 1.0
_MAX_MESSAGE = 1 << 20
#: pids of the kernels this process obtained from the template (for memory sampling), and
#: the seconds it waited for them (the template's imports, at the start of a build).
launched_pids: list[int] = []
waited: list[float] = []


# --- template process -----------------------------------------------------------------------


def _ignore_warning(*args: object, **kwargs: object) -> None:
    """Stands in for :func:`warnings.showwarning` while the template imports."""


def _preload() -> dict[str, str]:
    """Import :data:`PRELOAD`; returns the environment variables the imports set (e.g.
    ``KMP_INIT_AT_FORK``), which a kernel importing them itself would have."""
    import importlib
    import warnings

    # A kernel sets this before matplotlib is imported (ipykernel's init_gui_pylab); the
    # template imports matplotlib early, so it must see the same backend.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # Kernels exit when their parent goes; ipykernel reads the parent's pid when it is
    # imported, here: the template, whose kernels these are.
    os.environ["JPY_PARENT_PID"] = str(os.getpid())
    # Warnings raised while importing are not printed here (they would go to the build's
    # terminal); the filters stay untouched, so the ones the libraries install are kept and
    # a warning is registered as shown, as in a kernel that imported the libraries itself
    # (it would print it once, to the stderr the book hides). ``showwarning`` is the public
    # hook for this (no catch_warnings: it would also drop the libraries' filters).
    before = dict(os.environ)
    shown = warnings.showwarning
    warnings.showwarning = _ignore_warning
    try:
        for name in PRELOAD:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - an absent library is only a missed speed-up
                pass
    finally:
        if warnings.showwarning is _ignore_warning:  # unless a library installed its own
            warnings.showwarning = shown
    return {k: v for k, v in os.environ.items() if before.get(k) != v}


def _run_kernel(
    request: dict[str, Any], fds: list[int], closing: list[socket.socket], set_by_imports: dict
) -> NoReturn:
    """In the forked child: become the kernel described by ``request``; never returns.

    The kernel ends the way a started kernel does: :class:`SystemExit` unwinds the template's
    stack (:func:`serve`, :func:`_main`: nothing there catches it) and the interpreter exits
    normally, running the atexit handlers (IPython's history, ...) and flushing its streams.
    An error before the kernel runs does the same with a traceback and exit status 1."""
    for sock in closing:
        sock.close()
    os.setsid()  # own process group, like jupyter_client's launcher (interrupts)
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    for target, fd in zip((1, 2), fds[1:3], strict=False):
        os.dup2(fd, target)
    for fd in fds:
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for key, value in set_by_imports.items():
        os.environ.setdefault(key, value)
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    from ipykernel import kernelapp

    sys.argv = [request["launcher"], *request["args"]]
    kernelapp.launch_new_instance(argv=request["args"])
    # The kernel is done: leave its objects and the template's out of the collections Python
    # runs while it exits (they took seconds, and the notebook's run waits for the exit).
    gc.freeze()
    sys.exit(0)


def serve(listener: socket.socket) -> None:
    """Import :data:`PRELOAD`, then fork one kernel per request until the socket closes.

    A request is one JSON message (launcher path, kernel arguments, working directory,
    environment) sent with the caller's standard stream descriptors; the answer is the pid.
    Each kernel is a forked child that leaves this loop, and the process, by
    :class:`SystemExit` (:func:`_run_kernel`): only :func:`_main` may call this. The loop
    also ends when the process that started the template has gone (a runner that was killed
    cannot stop it; its kernels then exit too: they watch their parent). It looks every
    :data:`PARENT_CHECK_SECONDS` without a thread of its own (the template forks single-threaded)."""
    parent = os.getppid()
    # Ctrl-C in the terminal reaches the template too (same process group): the runner stops
    # it (a kernel forked from it gets the default handler back, for interrupts)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_by_imports = _preload()
    # kernels are reaped automatically (they are watched by pid from the worker side)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    listener.settimeout(PARENT_CHECK_SECONDS)  # accepted connections stay blocking
    while True:
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            if os.getppid() != parent:
                return
            continue
        except OSError:
            return
        with conn:
            fds: list[int] = []
            try:
                message, fds, _flags, _addr = socket.recv_fds(conn, _MAX_MESSAGE, 3)
                request = json.loads(message)
            except (OSError, ValueError):  # a caller that went away or sent nonsense
                for fd in fds:
                    os.close(fd)
                continue
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                _run_kernel(request, fds, [listener, conn], set_by_imports)
            for fd in fds:
                os.close(fd)
            try:
                conn.sendall(json.dumps({"pid": pid}).encode())
            except OSError:  # the worker gave up waiting and starts its kernel itself
                os.kill(pid, signal.SIGKILL)


class KernelTemplate:
    """The template process for one build (runner side); a context manager.

    Sets :data:`SERVER_ENV` so that worker processes forked afterwards find it, and on exit
    stops the template (a kernel still running then exits too: it watches its parent). Watch
    mode keeps one across builds (:class:`helpers.build.watch.KeptTemplate`) with
    :meth:`start`, :meth:`alive` and :meth:`stop`."""

    def __init__(self, interpreter_options: list[str] | None = None) -> None:
        self._options = list(interpreter_options or [])  # as in the kernel spec's command
        self._dir = tempfile.mkdtemp(prefix="ri-kernels-")
        self.address = str(Path(self._dir) / "template.sock")
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.address)
        self._listener.listen(64)
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the template process (it imports :data:`PRELOAD`, then answers requests)."""
        fd = self._listener.fileno()
        self._process = subprocess.Popen(
            [sys.executable, *self._options, __file__, str(fd)],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
        )

    @property
    def pid(self) -> int | None:
        """The template process's id (None before :meth:`start`)."""
        return self._process.pid if self._process is not None else None

    def alive(self) -> bool:
        """Whether the template process was started and still runs."""
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        """Stop the template process and remove its socket (a kernel still running then exits
        too: it watches its parent). Once stopped, it cannot be started again."""
        self._listener.close()
        if self._process is not None:
            # Killed, not asked to exit: the template holds nothing to save, and an orderly
            # exit would spend a second or more tearing down the libraries it imported. (A
            # kernel still running, after a failure, exits with it: it watches its parent.)
            self._process.kill()
            self._process.wait()
        import shutil

        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> KernelTemplate:
        self.start()
        os.environ[SERVER_ENV] = self.address
        return self

    def __exit__(self, *exc: object) -> None:
        os.environ.pop(SERVER_ENV, None)
        self.stop()


# --- worker side ----------------------------------------------------------------------------


class _ForkedKernel:
    """Enough of :class:`subprocess.Popen` for jupyter_client, for a kernel that is a child of
    the template rather than of this process (so it is watched by pid)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # the exit status went to the template
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            time.sleep(0.02)
        return self.returncode or 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def kernel_command(cmd: list[str]) -> tuple[list[str], list[str]] | None:
    """(interpreter options, kernel arguments) if ``cmd`` starts an IPython kernel with this
    interpreter, e.g. ``python -Xfrozen_modules=off -m ipykernel_launcher -f FILE``."""
    # the same environment (bin/python's folder), not only the same base interpreter
    if len(cmd) < 3 or Path(cmd[0]).parent.parent.resolve() != Path(sys.prefix).resolve():
        return None
    for i, item in enumerate(cmd[1:-1], start=1):
        if item == "-m":
            if cmd[i + 1] in ("ipykernel_launcher", "ipykernel"):
                return cmd[1:i], cmd[i + 2 :]
            return None
        if not item.startswith("-X"):
            return None
    return None


def request_kernel(address: str, cmd: list[str], cwd: str, env: dict[str, str]) -> int | None:
    """Ask the template at ``address`` for a kernel; its pid, or None if it can't be had."""
    parsed = kernel_command(cmd)
    if parsed is None:
        return None
    args = parsed[1]
    import ipykernel_launcher

    env = {k: v for k, v in env.items() if k != SERVER_ENV}
    message = json.dumps(
        {"launcher": ipykernel_launcher.__file__, "args": args, "cwd": cwd, "env": env}
    ).encode()
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            # the template answers once it has imported the libraries (seconds); a template
            # that hangs must not hold the build: then the kernel is started normally
            sock.settimeout(TEMPLATE_TIMEOUT)
            sock.connect(address)
            socket.send_fds(sock, [message], [0, 1, 2])
            answer = sock.recv(4096)
        return int(json.loads(answer)["pid"])
    except (OSError, ValueError, KeyError):
        return None


class ForkingProvisioner(LocalProvisioner):
    """Starts the kernel from the template when the runner provides one."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        """Start the kernel ``cmd`` (an ipykernel command line) as a fork of the template whose
        socket ``RI_KERNEL_TEMPLATE`` names, in ``kwargs["cwd"]`` with ``kwargs["env"]``; records
        its pid in :data:`launched_pids` and the wait in :data:`waited`, and returns the
        connection info. Falls back to :class:`LocalProvisioner` (a new interpreter) when no
        template is set or none answers (another command, a timeout, a socket error); raises
        nothing of its own."""
        address = os.environ.get(SERVER_ENV)
        env = kwargs.get("env") or dict(os.environ)
        cwd = str(kwargs.get("cwd") or Path.cwd())
        started = time.perf_counter()
        pid = request_kernel(address, cmd, cwd, env) if address else None
        if pid is None:
            return await super().launch_kernel(cmd, **kwargs)
        waited.append(time.perf_counter() - started)
        launched_pids.append(pid)
        self.process = _ForkedKernel(pid)  # type: ignore[assignment]
        self.pid = pid
        self.pgid = pid  # the kernel called setsid()
        self.cwd = cwd
        return self.connection_info


class ForkingKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` whose kernels come from the template (see module doc)."""

    async def start_kernel(self, **kw: Any) -> None:
        """Start a kernel as :class:`AsyncKernelManager` does (``kw`` as there), with a
        :class:`ForkingProvisioner`, made here when the manager has none (kernel id from ``kw`` or a
        new uuid4)."""
        if self.provisioner is None:  # the manager's own provisioner is made only when None
            import uuid

            self.kernel_id = self.kernel_id or kw.pop("kernel_id", str(uuid.uuid4()))
            self.provisioner = ForkingProvisioner(
                kernel_id=self.kernel_id, kernel_spec=self.kernel_spec, parent=self
            )
        await super().start_kernel(**kw)


def _main() -> None:
    if sys.path and Path(sys.path[0]).resolve() == Path(__file__).parent.resolve():
        del sys.path[0]  # as a kernel's own sys.path: not this folder
    listener = socket.socket(fileno=int(sys.argv[1]))
    serve(listener)


if __name__ == "__main__":
    _main()
