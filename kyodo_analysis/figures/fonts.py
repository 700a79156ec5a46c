"""Japanese text in matplotlib figures.

No Japanese system font is assumed. :func:`use_japanese_font` registers the
IPAexGothic font that ships with japanize-matplotlib and makes it the first
sans-serif font, with DejaVu Sans as the fallback for any glyph it lacks.

A style reset (``plt.style.use(...)``, ``seaborn.set()``) puts the default
font back. Every plot function of :mod:`kyodo_analysis.figures.draw` therefore calls
:func:`use_japanese_font` itself, so figures made through them survive a
reset; call it again after a reset before drawing Japanese text by hand.
"""

from __future__ import annotations

import warnings

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["use_japanese_font", "JAPANESE_FONT"]

JAPANESE_FONT = "IPAexGothic"

_registered = False


def use_japanese_font() -> str:
    """Make IPAexGothic the default font, with DejaVu Sans as fallback; return its name.

    japanize-matplotlib imports ``distutils``: on Python 3.12+ that module
    comes from setuptools (declared in pyproject.toml), and its
    ``LooseVersion`` raises "distutils Version classes are deprecated"
    DeprecationWarnings, which a warnings-as-errors run would turn into a
    crash. Exactly that warning is silenced, during that import only.

    Examples
    --------
    >>> use_japanese_font()
    'IPAexGothic'
    >>> import matplotlib
    >>> matplotlib.rcParams["font.sans-serif"][:2]
    ['IPAexGothic', 'DejaVu Sans']
    """
    global _registered
    if not _registered:
        with warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore", message="distutils Version classes are deprecated", category=DeprecationWarning
            )
            import japanize_matplotlib

        font_manager.fontManager.addfont(japanize_matplotlib.get_font_ttf_path())
        _registered = True
    mpl.rcParams["font.family"] = "sans-serif"
    fallback = [name for name in mpl.rcParams["font.sans-serif"] if name not in (JAPANESE_FONT, "DejaVu Sans")]
    mpl.rcParams["font.sans-serif"] = [JAPANESE_FONT, "DejaVu Sans", *fallback]
    return JAPANESE_FONT
