"""The package on a machine without POSIX calls, as a Windows PC in a city office: every module imports, and the
parser, the review, the workbook writer and the output folder's lock work."""

import subprocess
import sys
import textwrap

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
    names = sorted(module.name for module in pkgutil.iter_modules(kyodo_analysis.__path__))
    for name in names:
        importlib.import_module(f"kyodo_analysis.{name}")

    from kyodo_analysis import outputs
    from kyodo_analysis.loaders import load_status_table
    from kyodo_analysis.review import review_plan
    from kyodo_analysis.workbook import write_workbook

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
