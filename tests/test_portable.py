"""The package on a machine without POSIX calls, as a Windows PC in a city office: every module imports, and the
parser, the review, the workbook writer and the output folder's lock work."""

import subprocess
import sys
import textwrap
import time

import pytest

# Run in a fresh interpreter: fcntl and resource cannot be imported, os has no O_NOFOLLOW, O_NONBLOCK or
# O_DIRECTORY and no folder calls through a descriptor, /proc cannot be listed, and for the lock msvcrt is a
# stand-in that records its calls.
_WITHOUT_POSIX = textwrap.dedent("""
    import os, pathlib, pkgutil, sys, tempfile, types, importlib

    sys.modules["fcntl"] = None
    sys.modules["resource"] = None
    for flag in ("O_NOFOLLOW", "O_NONBLOCK", "O_DIRECTORY"):
        delattr(os, flag)
    os.supports_dir_fd = set()
    real_glob = pathlib.Path.glob
    def glob(self, pattern, *args, **kwargs):
        if str(self).startswith("/proc"):
            raise OSError("no /proc here")
        return real_glob(self, pattern, *args, **kwargs)
    pathlib.Path.glob = glob
    import kyodo_analysis
    names = sorted(module.name for module in pkgutil.walk_packages(kyodo_analysis.__path__, "kyodo_analysis.")
                   if "_bundled" not in module.name)
    for name in names:
        importlib.import_module(name)

    from kyodo_analysis.run import outputs
    from kyodo_analysis.source.loaders import load_status_table
    from kyodo_analysis.analysis.review import review_plan
    from kyodo_analysis.writers.workbook import write_workbook

    table = load_status_table()
    plan_review = review_plan(None, as_of=2010)
    folder = pathlib.Path(tempfile.mkdtemp())
    write_workbook(plan_review, folder / "book.xlsx", source_name="x")
    out = folder / "rep"
    outputs.check_output_folder(out, inputs=[])
    locks = []  # msvcrt only now: the standard library takes its presence for Windows
    sys.modules["msvcrt"] = types.SimpleNamespace(
        LK_NBLCK=2, locking=lambda descriptor, mode, size: locks.append((mode, size)))
    with outputs.output_lock(out) as lock:
        build = outputs.new_build_folder(out)
        (build / "page.html").write_text("x", encoding="utf-8")
        outputs.swap_in(build, out)
    assert outputs.remove_marked(out) and not out.exists()
    print(len(names), len(table.measures), len(plan_review.measures), (folder / "book.xlsx").stat().st_size > 0,
          lock.read_text().strip() == str(os.getpid()), locks)
""")


@pytest.mark.e2e
def test_every_module_imports_and_the_review_runs_without_posix_calls():
    done = subprocess.run([sys.executable, "-c", _WITHOUT_POSIX], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    modules, measures, reviewed, book, pid, locks = done.stdout.split(" ", 5)
    assert int(modules) >= 35 and (measures, reviewed, book, pid) == ("19", "19", "True", "True")
    assert locks.strip() == "[(2, 1)]"  # msvcrt.locking(descriptor, LK_NBLCK, 1): the lock file's first byte


# A process that starts a grandchild (a kernel's own child, say), writes both process ids, and waits to be killed.
_CHILD = """
import os, subprocess, sys, time
grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(sys.argv[1] + ".tmp", "w") as file:
    file.write(f"{os.getpid()} {grandchild.pid}")
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(600)
"""
# kill_children in a process of its own: it kills every child of the process that calls it.
_PARENT = """
import pathlib, subprocess, sys, time
from kyodo_analysis.portable import kill_children
ids = pathlib.Path(sys.argv[1])
subprocess.Popen([sys.executable, "-c", sys.argv[2], str(ids)], start_new_session=True)
deadline = time.monotonic() + 60
while not ids.exists():  # the event: the child has written its ids
    assert time.monotonic() < deadline, "the child never started"
    time.sleep(0.05)
kill_children()
print(ids.read_text())
"""


def test_kill_children_ends_a_child_and_the_grandchild_it_started(tmp_path):
    psutil = pytest.importorskip("psutil")
    done = subprocess.run([sys.executable, "-c", _PARENT, str(tmp_path / "ids"), _CHILD], capture_output=True,
                          text=True, check=True, timeout=120)
    child, grandchild = map(int, done.stdout.split())

    def dead(pid: int) -> bool:  # gone, or a zombie that no parent has reaped yet: no longer running
        try:
            return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return True

    deadline = time.monotonic() + 30  # a SIGKILL takes effect at once; the kernel may take a moment to show it
    while not (dead(child) and dead(grandchild)):
        assert time.monotonic() < deadline, f"still running: {[pid for pid in (child, grandchild) if not dead(pid)]}"
        time.sleep(0.05)
