"TSTForecaster: GluonTS plumbing (C10), windows for short history, shapes, quantiles, totals, save/load, bad input."
import warnings
import numpy as np
import pandas as pd
import pytest
from oracle_nb.features import daily_panel, synthetic_transactions
from oracle_nb.forecast import Forecaster, PanelError, get_model
from conftest import check_forecast
from oracle_nb.tst import TSTForecaster, choose_windows, gluonts_dataset

TINY = dict(d_model=16, layers=1, epochs=1, batches_per_epoch=4, batch_size=16, num_samples=20, progress=False)
COLS = ["mean", "q0.1", "q0.5", "q0.9"]

@pytest.fixture(scope="module")
def panel():
    return daily_panel(synthetic_transactions(1, 160, seed=2))

@pytest.fixture(scope="module")
def fitted(panel):
    return TSTForecaster(**TINY).fit(panel)


def test_registry():
    m = get_model("tst")
    assert isinstance(m, TSTForecaster) and (m.prediction_length, m.context_length) == (30, 90)
    assert list(m.lags_sequence) == [1, 2, 3, 7, 14, 30]

def test_c10_dense_panel_iterates():
    tx = pd.DataFrame({"user_id": "u", "date": pd.to_datetime(["2024-03-01", "2024-03-02", "2024-03-04", "2024-03-05", "2024-03-02", "2024-03-05"]),
                       "amount": [54.2, 12.0, 33.1, 8.5, 35.0, 20.0], "category": ["groceries"] * 4 + ["gifts"] * 2,
                       "description": "", "account": "", "kind": "expense", "status": "posted"})
    panel = daily_panel(tx)
    assert panel.groupby("unique_id").size().tolist() == [5, 5]
    entries = list(gluonts_dataset(panel))
    got = {e["item_id"]: e["target"] for e in entries}
    assert sorted(got) == ["u/gifts", "u/groceries"]
    assert np.allclose(got["u/gifts"], [0.0, 35.0, 0.0, 0.0, 20.0]) and np.allclose(got["u/groceries"], [54.2, 12.0, 0.0, 33.1, 8.5])
    assert all(str(e["start"]) == "2024-03-01" for e in entries)

def test_choose_windows():
    assert choose_windows(730) == (90, [1, 2, 3, 7, 14, 30], "")
    c, lags, note = choose_windows(70)
    assert (c, lags) == (14, [1, 2, 3, 7, 14]) and "lags" in note
    assert max(lags) <= 70 - 30 - c  # C10: no lag beyond history - context - horizon
    c, lags, _ = choose_windows(120, context_length=56, lags=tuple(range(1, 1094)))
    assert (c, max(lags)) == (34, 56) and max(lags) <= 120 - 30 - c
    with pytest.raises(PanelError, match="needs at least 45"): choose_windows(40)

def test_forecast_and_totals(fitted, panel):
    fc = fitted.predict(30)
    check_forecast(fc, panel, 30)
    check_forecast(fitted.predict(7), panel, 7)
    tot = fitted.predict_totals(30)
    paths = fitted.sample_paths()
    assert all(p.shape == (20, 30) and (p >= 0).all() for p in paths.values())
    for _, r in tot.iterrows():
        s = paths[r.unique_id].sum(1)
        assert r["q0.1"] == pytest.approx(np.quantile(s, 0.1)) and r["q0.9"] == pytest.approx(np.quantile(s, 0.9))
    with pytest.raises(ValueError, match="beyond prediction_length"): fitted.predict(31)

def test_deterministic(panel, fitted):
    again = TSTForecaster(**TINY).fit(panel)
    pd.testing.assert_frame_equal(again.predict(30), fitted.predict(30))

def test_save_load_identical(fitted, tmp_path):
    fitted.save(tmp_path / "m")
    assert (tmp_path / "m" / "hf" / "config.json").exists()
    back = Forecaster.load(tmp_path / "m")
    pd.testing.assert_frame_equal(back.predict(30), fitted.predict(30))
    pd.testing.assert_frame_equal(back.predict_totals(30), fitted.predict_totals(30))

def test_short_constant_and_zero_series(panel):
    days = panel.ds.drop_duplicates().sort_values().iloc[-70:]
    p = pd.concat([panel[panel.ds.isin(days)],
                   pd.DataFrame({"unique_id": "user1/Const", "ds": days, "y": 5.0}),
                   pd.DataFrame({"unique_id": "user1/Zero", "ds": days, "y": 0.0})], ignore_index=True)
    with pytest.warns(UserWarning, match="lags"):
        m = TSTForecaster(**TINY).fit(p)
    assert (m.context_length_, m.lags_) == (14, [1, 2, 3, 7, 14])
    fc = m.predict(30)
    check_forecast(fc, p, 30)
    tot = m.predict_totals(30)
    assert np.isfinite(tot[COLS].to_numpy()).all() and (tot[COLS] >= 0).all().all()

def test_bad_input(panel):
    with pytest.raises(PanelError, match="needs at least 45"): TSTForecaster(**TINY).fit(panel.groupby("unique_id").tail(40))
    with pytest.raises(RuntimeError, match="call fit"): TSTForecaster().predict(30)
    with pytest.raises(PanelError, match="not daily without gaps"): TSTForecaster(**TINY).fit(panel.drop(index=panel.index[3]))
