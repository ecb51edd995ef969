from pathlib import Path
import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = SHARED / "data"
MINT = DATA / "mint_us" / "personal_transactions.csv"
HOUSEHOLD = DATA / "household_in" / "Daily Household Transactions.csv"
REAL_FILES = sorted(DATA.glob("*/*.csv"))

needs_shared = pytest.mark.skipif(not DATA.exists(), reason="../shared/data is not beside the checkout")


@pytest.fixture
def write(tmp_path):
    "Write text (or bytes) to a file in tmp_path and return its path."
    def _write(text, name="export.csv", encoding="utf-8"):
        p = tmp_path / name
        p.write_bytes(text if isinstance(text, bytes) else text.encode(encoding))
        return p
    return _write
