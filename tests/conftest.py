from pathlib import Path

import pytest

from kyodo_analysis.config import KITAMOTO_STATUS_TABLE

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def seed_text() -> str:
    """The bundled Kitamoto table, as text."""
    return KITAMOTO_STATUS_TABLE.read_text(encoding="utf-8")
