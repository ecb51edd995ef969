"The ensemble: learned weights, renormalisation when a member fails, save/load."
import sys, types
import numpy as np
import pandas as pd
import pytest
import oracle_nb.forecast as forecast
from oracle_nb.features import daily_panel, synthetic_transactions
from oracle_nb.ensemble import EnsembleForecaster, greedy_weights

@pytest.fixture(scope="module")
def panel():
    return daily_panel(synthetic_transactions(n_users=1, days=450, seed=9))

@pytest.fixture(scope="module")
def ens(panel):
    return EnsembleForecaster(["climatology", "seasonal_naive", "naive"], n_windows=2).fit(panel)

def test_weights_are_a_convex_combination(ens):
    w = np.array(list(ens.weights_.values()))
    assert (w >= 0).all() and w.sum() == pytest.approx(1.0)
    best_member = min(v for k, v in ens.validation_loss_.items() if k != "ensemble")
    assert ens.validation_loss_["ensemble"] <= best_member + 1e-12

def test_forecast_is_the_weighted_average(ens):
    fc = ens.predict(14)
    parts = sum(w * m.predict(14).set_index(["unique_id", "ds"])["q0.5"] for name, m in ens.models_.items() for w in [ens.weights_[name]])
    assert np.allclose(fc.set_index(["unique_id", "ds"])["q0.5"].sort_index(), parts.sort_index().clip(lower=0))
    tot = ens.predict_totals(30)
    assert ((tot["q0.1"] <= tot["q0.5"]) & (tot["q0.5"] <= tot["q0.9"]) & (tot["q0.1"] >= 0)).all()

def test_save_load_round_trip(ens, tmp_path):
    ens.save(tmp_path / "ens")
    pd.testing.assert_frame_equal(forecast.Forecaster.load(tmp_path / "ens").predict(30), ens.predict(30))

class TooShort(forecast.Forecaster):
    name = "too_short"
    def _fit(self, df): raise ValueError("history shorter than context_length + max(lags_sequence)")

def test_failing_member_is_skipped_and_weights_renormalised(panel, monkeypatch):
    monkeypatch.setitem(sys.modules, "_test_members", types.SimpleNamespace(TooShort=TooShort))
    monkeypatch.setitem(forecast.MODELS, "too_short", "_test_members:TooShort")
    e = EnsembleForecaster(["too_short", "climatology"], n_windows=1).fit(panel)
    assert e.weights_ == {"climatology": 1.0}
    assert "context_length" in e.skipped_["too_short"]

def test_greedy_weights_recovers_a_mix():
    target = np.array([0.25, 0.75])
    assert np.allclose(greedy_weights(lambda w: np.abs(w - target).sum(), 2, rounds=8), target)
