"""What the Office files (docx, xlsx) share: byte-stable zipping.

:func:`stable_zip` rewrites a saved Office file with fixed entry times and
document dates, so the same content always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from kyodo_analysis.file_writes import write_file

__all__ = ["FIXED_TIME", "stable_zip"]

#: The entry times and document dates of every written file: the bytes depend on the content only.
FIXED_TIME = (2000, 1, 1, 0, 0, 0)
#: The entries stored as they are: pictures, whose formats compress them already.
_PACKED = (".png", ".jpeg", ".jpg", ".gif")


def stable_zip(data: bytes, path: Path | None = None, *, dated: dt.date | None = None) -> bytes:
    """A zipped Office file with fixed entry times and document dates; written whole to ``path`` when given.

    The entries are written in their original order, deflated (pictures, compressed already, stored), each dated
    :data:`FIXED_TIME`; ``<dcterms:created>`` and ``<dcterms:modified>`` in
    ``docProps/core.xml`` become one moment: the start of ``dated`` (the day
    the document is dated), else :data:`FIXED_TIME`. Two saves of the same
    content on the same date then give byte-identical files.

    Parameters
    ----------
    data : bytes
        The file as saved (by python-docx or openpyxl) into memory.
    path : Path, optional
        Where to write it (:func:`~kyodo_analysis.file_writes.write_file`: whole, never through a link).

    Returns
    -------
    bytes
        The stable file.
    """
    moment = dt.datetime(*FIXED_TIME) if dated is None else dt.datetime(dated.year, dated.month, dated.day)
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    stable = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            # a picture is compressed already: deflating it again took a second for a large plan's figures
            info.compress_type = zipfile.ZIP_STORED if item.filename.endswith(_PACKED) else zipfile.ZIP_DEFLATED
            target.writestr(info, content)
    if path is not None:
        write_file(path, stable.getvalue())
    return stable.getvalue()
