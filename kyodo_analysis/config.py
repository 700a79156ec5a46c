"""Every path the project uses, in one place.

Notebooks, scripts and tests resolve files through these constants, never
relative to the working directory (papermill, nbval and JupyterLab each start
notebooks in a different one).

The package runs in one of two places:

- **The checkout** (the source tree, or ``uv sync``'s editable install of it):
  the bundled table is ``data/raw/``, the notebooks are ``notebooks/``, and the
  outputs go to the project's ``data/processed/``, ``figures/`` and ``reports/``.
- **Installed from the wheel** (``pip install``, ``uv tool install``): the wheel
  carries ``data/raw/`` and ``notebooks/`` as the data-only package
  ``kyodo_analysis/_bundled/`` (packed from the checkout's folders, see
  pyproject.toml), read from there through :mod:`importlib.resources`. Nothing
  is ever written into the installed package: the outputs go to
  ``data/processed/``, ``figures/`` and ``reports/`` in the folder the command
  was started in (the working folder when this module is first imported).
"""

import importlib.util
import os
from importlib import resources
from pathlib import Path

#: The checkout's folder; installed from a wheel, the folder that holds the installed package (site-packages).
PROJECT_ROOT = Path(__file__).resolve().parents[1]

#: The data and notebooks that the wheel carries; only an installed wheel has this folder.
_BUNDLED = resources.files(__package__) / "_bundled"
#: True in the checkout (source tree or editable install), False when installed from the wheel.
CHECKOUT = not _BUNDLED.is_dir()

if CHECKOUT:
    DATA_RAW = PROJECT_ROOT / "data" / "raw"
    NOTEBOOKS = PROJECT_ROOT / "notebooks"
    _OUTPUT_ROOT = PROJECT_ROOT
else:  # a wheel installed on a filesystem: the package's folders are real paths
    DATA_RAW = Path(_BUNDLED / "raw")
    NOTEBOOKS = Path(_BUNDLED / "notebooks")
    _OUTPUT_ROOT = Path.cwd()

DATA = _OUTPUT_ROOT / "data"
DATA_PROCESSED = DATA / "processed"
CODEBOOK = DATA / "README.md"
#: The tracked figures; ``make lab`` points its kernels elsewhere (``KYODO_FIGURES``), so that exploring in
#: JupyterLab never rewrites them.
FIGURES = Path(os.environ.get("KYODO_FIGURES") or _OUTPUT_ROOT / "figures")
REPORTS = _OUTPUT_ROOT / "reports"

#: The bundled table: Kitamoto City's collaboration plan, FY2007-2012 (H19-H24).
KITAMOTO_STATUS_TABLE = DATA_RAW / "kitamoto_kyodo_status.txt"
#: The era of its header's bare years (19 … 24), which the table itself does not name.
KITAMOTO_ERA = "平成"
#: Its typos, read by hand (see data/raw/README.md): quoted with （原文ママ）.
KITAMOTO_ERRATA = DATA_RAW / "kitamoto_kyodo_status_errata.csv"


def font_folder() -> Path:
    """The folder of IPAexGothic, the font of the figures and the PDF, in japanize-matplotlib (found without
    importing the package).

    (Importing it imports ``distutils``, whose deprecation warning would fail a warnings-as-errors run.)
    """
    spec = importlib.util.find_spec("japanize_matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError("japanize-matplotlib is not installed: it ships the IPAexGothic font the PDF uses")
    folder = Path(spec.origin).parent / "fonts"
    if not (folder / "ipaexg.ttf").is_file():
        raise RuntimeError(f"IPAexGothic (ipaexg.ttf) is missing from {folder}")
    return folder
