"""Every path the project uses, in one place.

Notebooks, scripts and tests resolve files through these constants, never
relative to the working directory (papermill, nbval and JupyterLab each start
notebooks in a different one).
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

DATA = PROJECT_ROOT / "data"
DATA_RAW = DATA / "raw"
DATA_PROCESSED = DATA / "processed"
CODEBOOK = DATA / "README.md"
#: The tracked figures; ``make lab`` points its kernels elsewhere (``KYODO_FIGURES``), so that exploring in
#: JupyterLab never rewrites them.
FIGURES = Path(os.environ.get("KYODO_FIGURES") or PROJECT_ROOT / "figures")
NOTEBOOKS = PROJECT_ROOT / "notebooks"
REPORTS = PROJECT_ROOT / "reports"

#: The bundled table: Kitamoto City's collaboration plan, FY2007-2012 (H19-H24).
KITAMOTO_STATUS_TABLE = DATA_RAW / "kitamoto_kyodo_status.txt"
#: The era of its header's bare years (19 … 24), which the table itself does not name.
KITAMOTO_ERA = "平成"
