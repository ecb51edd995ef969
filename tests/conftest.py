from pathlib import Path
import numpy as np
import pandas as pd
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


FORECAST_COLS = ["mean", "q0.1", "q0.5", "q0.9"]

def check_forecast(fc, panel, h):
    "The forecaster contract: columns, h days after each series' last day, finite, non-negative, non-crossing quantiles."
    assert fc.columns.tolist() == ["unique_id", "ds"] + FORECAST_COLS
    assert len(fc) == panel.unique_id.nunique() * h
    assert np.isfinite(fc[FORECAST_COLS].to_numpy()).all() and (fc[FORECAST_COLS] >= 0).all().all()
    assert ((fc["q0.1"] <= fc["q0.5"]) & (fc["q0.5"] <= fc["q0.9"])).all()
    last = panel.groupby("unique_id").ds.max()
    assert (fc.groupby("unique_id").ds.min() == last + pd.Timedelta(days=1)).all()
