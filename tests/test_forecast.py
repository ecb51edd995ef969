"The forecaster interface, the references, horizon totals and the backtest."
import numpy as np
import pandas as pd
import pytest
from conftest import check_forecast
from oracle_nb.features import daily_panel, synthetic_transactions
from oracle_nb.forecast import (Forecaster, SeasonalNaive, Climatology, Naive, get_model, backtest, check_panel,
                                PanelError, cutoffs, total_scale)

REFS = ["naive", "seasonal_naive", "climatology"]

@pytest.fixture(scope="module")
def panel():
    return daily_panel(synthetic_transactions(n_users=2, days=500, seed=5))

@pytest.mark.parametrize("name", REFS)
def test_reference_contract(name, panel):
    m = get_model(name).fit(panel)
    check_forecast(m.predict(30), panel, 30)
    tot = m.predict_totals(30)
    assert ((tot["q0.1"] <= tot["q0.5"]) & (tot["q0.5"] <= tot["q0.9"]) & (tot["q0.1"] >= 0)).all()

def test_custom_column_names(panel):
    renamed = panel.rename(columns={"unique_id": "series", "ds": "day", "y": "spend"})
    a = SeasonalNaive().fit(renamed, id_col="series", time_col="day", target_col="spend").predict(7)
    pd.testing.assert_frame_equal(a, SeasonalNaive().fit(panel).predict(7))

def test_climatology_daily_values_by_hand():
    p = pd.DataFrame({"unique_id": "u/a", "ds": pd.date_range("2024-01-01", periods=10), "y": [0, 0, 10, 0, 0, 20, 0, 0, 30, 0.0]})
    fc = Climatology(window=5).fit(p).predict(2)
    assert fc["mean"].tolist() == [10.0, 10.0]   # the last 5 days are 20, 0, 0, 30, 0: mean 10, median 0
    assert fc["q0.5"].tolist() == [0.0, 0.0]

def test_seasonal_naive_repeats_last_week():
    p = pd.DataFrame({"unique_id": "u/a", "ds": pd.date_range("2024-01-01", periods=21), "y": list(range(21))})
    assert SeasonalNaive().fit(p).predict(10)["mean"].tolist() == [14, 15, 16, 17, 18, 19, 20, 14, 15, 16]

def test_conformal_totals_are_calibrated_on_synthetic_data(panel):
    bt = backtest(["climatology", "seasonal_naive"], panel, h=30, n_windows=4, progress=False)
    t = bt.totals
    inside = ((t.y >= t["q0.1"]) & (t.y <= t["q0.9"])).groupby(t.model).mean()
    assert inside["seasonal_naive"] >= 0.6 and inside["climatology"] >= 0.6
    assert bt.errors == []

def test_bad_panels_are_named():
    with pytest.raises(PanelError, match="lacks column"):
        check_panel(pd.DataFrame({"unique_id": ["a"], "ds": ["2024-01-01"]}))
    gap = pd.DataFrame({"unique_id": "u/x", "ds": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-05"]), "y": 1.0})
    with pytest.raises(PanelError, match="'u/x' is not daily without gaps"):
        SeasonalNaive().fit(gap)
    with pytest.raises(RuntimeError, match="call fit"):
        Naive().predict(3)
    with pytest.raises(ValueError, match="h must be a positive integer"):
        Naive().fit(gap.iloc[:2]).predict(0)

def test_save_never_leaves_a_half_written_model(panel, tmp_path, monkeypatch):
    good = SeasonalNaive().fit(panel)
    good.save(tmp_path / "m")
    expected = good.predict(14)
    def broken(self, path):
        (path / "model.pkl").write_bytes(b"half")
        raise OSError("disk full")
    monkeypatch.setattr(Forecaster, "_save", broken)
    with pytest.raises(OSError, match="disk full"):
        Climatology().fit(panel).save(tmp_path / "m")
    monkeypatch.undo()
    pd.testing.assert_frame_equal(Forecaster.load(tmp_path / "m").predict(14), expected)
    assert [p.name for p in tmp_path.iterdir()] == ["m"]

def test_backtest_reports_failing_model(panel):
    class Broken(Naive):
        name = "broken"
        def _predict(self, h, quantiles): raise ValueError("nope")
    with pytest.warns(UserWarning, match="broken failed"):
        bt = backtest({"broken": Broken(), "naive": Naive()}, panel, h=14, n_windows=2, progress=False, totals=False)
    assert len(bt.errors) == 2 and bt.errors[0]["error"] == "ValueError: nope"
    assert set(bt.daily.model) == {"naive"}

def test_cutoffs_and_scale(panel):
    cs = cutoffs(panel, 30, 3, 7)
    assert [c.strftime("%Y-%m-%d") for c in cs] == [(panel.ds.max() - pd.Timedelta(days=d)).strftime("%Y-%m-%d") for d in (44, 37, 30)]
    s = total_scale(panel, 30)
    assert (s >= 1).all() and s.index.tolist() == sorted(panel.unique_id.unique())
