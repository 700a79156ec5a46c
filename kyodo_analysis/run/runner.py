"""Run tasks in worker processes that the caller owns, and stop every one of them on a signal.

:func:`run_tasks` starts up to ``jobs`` workers (``python -m
kyodo_analysis.run.runner``), hands each a task at a time over a pipe, and yields
the results as they come. Each worker is in a session of its own, so a Ctrl-C
at the terminal reaches the main process only, which then decides:

- SIGINT or SIGTERM to the main process raises :class:`Interrupted` from
  :func:`run_tasks`; before it does, queued tasks are dropped, every worker
  is sent SIGTERM and waited for. A worker that receives SIGTERM kills the
  Jupyter kernels it started and everything below them (the process tree,
  listed with psutil: :mod:`kyodo_analysis.portable`) and exits at once.
- If the main process is killed outright (SIGKILL), the kernel sends each
  worker SIGTERM (Linux ``PR_SET_PDEATHSIG``), with the same effect.

The main process reads each worker's output in a thread of its own (pipes
cannot be waited on together on Windows), and the platform's calls go
through :mod:`kyodo_analysis.portable`.

A task is a JSON-able dict; the worker calls ``FUNCTION(**task)`` where
``FUNCTION`` is given as ``"module:name"`` and returns a JSON-able dict. A
task may emit progress as ``{"event": ...}`` dicts through the ``progress``
callable passed to it.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator

from kyodo_analysis.portable import kill_children, kill_process_tree, term_on_parent_death

__all__ = ["Interrupted", "SignalGuard", "signals_raise", "run_tasks"]


class Interrupted(Exception):
    """The run was stopped by a signal; ``exit_code`` is 128 + the signal number.

    ``outcome`` says what the run left, when that is not simply "nothing
    changed": the caller that knows sets it before passing the exception on.
    """

    def __init__(self, signum: int):
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        self.exit_code = 128 + signum
        self.outcome: str | None = None
        super().__init__(f"{self.signal_name} で中断しました")


class SignalGuard:
    """What :func:`signals_raise` yields: :meth:`deferred` holds a signal back over a step that must not be cut.

    Examples
    --------
    A signal inside ``deferred()`` is raised when the step is done:

    >>> with signals_raise() as signals:
    ...     try:
    ...         with signals.deferred():
    ...             os.kill(os.getpid(), signal.SIGTERM)
    ...             steps = ["first", "second"]  # both run
    ...     except Interrupted as stop:
    ...         print(steps, stop)
    ['first', 'second'] SIGTERM で中断しました
    """

    def __init__(self) -> None:
        self.caught: int | None = None
        self._raised = False
        self._holding = 0

    def handle(self, signum: int, _frame) -> None:
        """The signal handler: raise :class:`Interrupted` for the first signal, or keep it for later."""
        if self.caught is not None:
            return  # a later signal: the run is already stopping
        self.caught = signum
        if not self._holding:
            self._raised = True
            raise Interrupted(signum)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Run the block whole: a SIGINT or SIGTERM that comes meanwhile raises :class:`Interrupted` after it.

        If the block raises, its exception is passed on and the signal is not raised again.
        """
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
        if not self._holding and self.caught is not None and not self._raised:
            self._raised = True
            raise Interrupted(self.caught)


@contextlib.contextmanager
def signals_raise() -> Iterator[SignalGuard]:
    """Turn the first SIGINT or SIGTERM into :class:`Interrupted`; ignore later ones while cleaning up.

    Yields a :class:`SignalGuard`, whose ``deferred()`` holds a signal back
    over a step that must be done whole. Outside the main thread, where
    Python cannot set signal handlers, no signal is handled.
    """
    guard = SignalGuard()
    if threading.current_thread() is not threading.main_thread():
        yield guard
        return
    previous = {signum: signal.signal(signum, guard.handle) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield guard
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


class _Worker:
    def __init__(self, function: str):
        env = dict(os.environ, KYODO_RUNNER_PARENT=str(os.getpid()))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kyodo_analysis.run.runner", function],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, start_new_session=True, env=env,
        )
        self.task: dict | None = None

    def send(self, task: dict) -> None:
        self.task = task
        self.process.stdin.write(json.dumps(task).encode() + b"\n")
        self.process.stdin.flush()

    def end_input(self) -> None:
        """No more tasks: the worker exits once it has answered the one it has."""
        with contextlib.suppress(OSError):
            self.process.stdin.close()

    def stop(self) -> None:
        """Let an idle worker end (its input closes); terminate a busy one."""
        self.end_input()
        if self.task is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait(self) -> None:
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill_process_tree(self.process.pid)
            self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                pipe.close()


def run_tasks(function: str, tasks: list[dict], *, jobs: int,
              on_event: Callable[[dict, dict], None] = lambda task, event: None) -> Iterator[tuple[dict, dict]]:
    """Run ``function`` (``"module:name"``) on every task in up to ``jobs`` workers; yield ``(task, result)``.

    Results come in the order they finish. ``on_event(task, event)`` receives
    the progress events a task emits. A worker that dies yields
    ``{"error": ...}`` for its task.

    Closing the generator, or an exception in it such as :class:`Interrupted`
    (see :func:`signals_raise`), stops every worker, and its kernels, before
    it returns.
    """
    waiting = list(tasks)
    workers: list[_Worker] = []
    lines: queue.Queue[tuple[_Worker, bytes | None]] = queue.Queue()  # every worker's output lines, then None
    try:
        for _ in range(min(max(1, jobs), len(waiting))):  # no task, no worker
            worker = _Worker(function)
            workers.append(worker)
            threading.Thread(target=_read_lines, args=(worker, lines), name="runner-output", daemon=True).start()
            worker.send(waiting.pop(0))
        if not waiting:  # every task handed out at once
            for each in workers:
                each.end_input()
        running = len(workers)
        while running:
            worker, line = lines.get()  # a signal's handler may raise here (signals_raise)
            if line is None:  # the worker's output ended: it finished its input, or died
                running -= 1
                if worker.task is not None:
                    code = worker.process.wait()
                    yield worker.task, {"error": f"the worker process died (exit code {code})"}
                continue
            message = json.loads(line)
            if "event" in message:
                on_event(worker.task, message)
                continue
            task, worker.task = worker.task, None
            if waiting:
                worker.send(waiting.pop(0))
                if not waiting:  # the last task handed out: each worker exits at the end of its task, not when
                    for each in workers:  # the caller next asks (it may be busy meanwhile), and its memory is freed
                        each.end_input()
            yield task, message
    finally:
        for worker in workers:
            worker.stop()
        for worker in workers:
            worker.wait()


def _read_lines(worker: _Worker, lines: queue.Queue) -> None:
    """Put each line the worker writes on ``lines``, then None at its end (a thread per worker: pipes cannot be
    waited on together on every platform)."""
    try:
        for line in iter(worker.process.stdout.readline, b""):
            lines.put((worker, line))
    except (OSError, ValueError):  # the pipe was closed while the run stops
        pass
    lines.put((worker, None))


def _on_terminate(_signum, _frame) -> None:
    kill_children()  # the kernels this worker started, and everything below them
    from kyodo_analysis.run.notebooks import remove_kernel_folders

    remove_kernel_folders()
    os._exit(128 + signal.SIGTERM)


def _die_with_parent() -> None:
    """Ask the system to send this worker SIGTERM when its parent dies (Linux); exit now if it already has."""
    term_on_parent_death()
    if str(os.getppid()) != os.environ.get("KYODO_RUNNER_PARENT"):
        os._exit(128 + signal.SIGTERM)


def _worker_main(function: str) -> int:
    """Read tasks (JSON lines) from stdin, run them, write results (JSON lines) to the real stdout."""
    import psutil  # noqa: F401  (loaded now: the SIGTERM handler, which lists the children with it, must not import)

    signal.signal(signal.SIGTERM, _on_terminate)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process decides what an interrupt stops
    _die_with_parent()
    results = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever the task prints goes to stderr, not into the results
    module, name = function.split(":")
    run = getattr(importlib.import_module(module), name)

    def progress(event: dict) -> None:
        results.write(json.dumps(event) + "\n")
        results.flush()

    for line in sys.stdin:
        result = run(**json.loads(line), progress=progress)
        results.write(json.dumps(result) + "\n")
        results.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_worker_main(sys.argv[1]))
