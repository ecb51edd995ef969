"XGBoostForecaster: shapes, non-negativity, quantile order, save/load, bad and degenerate input."
import warnings
import numpy as np
import pandas as pd
import pytest
from oracle_nb.features import daily_panel, synthetic_transactions
from oracle_nb.forecast import Forecaster, PanelError, check_panel, get_model
from conftest import check_forecast
from oracle_nb.xgboost_model import XGBoostForecaster, state_frame, _scales, _state_names

SMALL = dict(n_estimators=20, conformal_windows=1, val_days=30, max_rows=10_000)
COLS = ["mean", "q0.1", "q0.5", "q0.9"]

@pytest.fixture(scope="module")
def panel():
    return daily_panel(synthetic_transactions(1, 200, seed=5))

@pytest.fixture(scope="module")
def fitted(panel):
    return XGBoostForecaster(**SMALL).fit(panel)


def test_registry():
    m = get_model("xgboost")
    assert isinstance(m, XGBoostForecaster) and m.name == "xgboost"
    assert m.clone().get_params() == m.get_params()

@pytest.mark.parametrize("strategy", ["direct", "recursive"])
def test_forecast(panel, strategy):
    m = XGBoostForecaster(strategy=strategy, **SMALL).fit(panel)
    for intervals in ["quantile", "conformal"]:
        m.intervals = intervals
        fc = m.predict(14)
        check_forecast(fc, panel, 14)
        assert fc.ds.min() == panel.ds.max() + pd.Timedelta(days=1)
    tot = m.predict_totals(30)
    assert len(tot) == panel.unique_id.nunique() and (tot[COLS] >= 0).all().all()
    assert (tot["q0.1"] <= tot["q0.9"]).all()

def test_save_load_identical(fitted, tmp_path):
    fitted.save(tmp_path / "m")
    back = Forecaster.load(tmp_path / "m")
    assert isinstance(back, XGBoostForecaster)
    pd.testing.assert_frame_equal(back.predict(30), fitted.predict(30))
    pd.testing.assert_frame_equal(back.predict_totals(30), fitted.predict_totals(30))

def test_no_leakage(panel):
    df = check_panel(panel)
    scale = _scales(df)
    later = df.assign(y=np.where(df.ds > df.ds.min() + pd.Timedelta(days=100), 1e6, df.y))
    a, b = state_frame(df, scale), state_frame(later, scale)
    early = a.ds <= df.ds.min() + pd.Timedelta(days=100)
    pd.testing.assert_frame_equal(a.loc[early, _state_names()], b.loc[early, _state_names()])

def test_constant_zero_and_short_series(panel):
    days = panel[panel.unique_id == panel.unique_id.iloc[0]].ds
    extra = pd.concat([pd.DataFrame({"unique_id": "user1/Const", "ds": days, "y": 5.0}),
                       pd.DataFrame({"unique_id": "user1/Zero", "ds": days, "y": 0.0}),
                       pd.DataFrame({"unique_id": "user1/New", "ds": days.iloc[-5:], "y": [0, 3.0, 0, 0, 2.0]})])  # shorter than every lag but 1
    p = pd.concat([panel, extra], ignore_index=True)
    m = XGBoostForecaster(**SMALL).fit(p)
    fc = m.predict(30)
    check_forecast(fc, p, 30)
    zero = fc[fc.unique_id == "user1/Zero"]
    assert (zero[COLS] == 0).all().all()  # no spending ever: exactly zero (documented fallback)
    const = fc[fc.unique_id == "user1/Const"]["mean"]
    assert 2 < const.mean() < 8  # a constant 5 a day stays near 5

def test_bad_input(panel, fitted):
    short = panel[panel.ds < panel.ds.min() + pd.Timedelta(days=10)]
    with pytest.raises(PanelError, match="at least 14 are needed"): XGBoostForecaster().fit(short)
    with pytest.raises(ValueError, match="strategy must be"): XGBoostForecaster(strategy="mimo").fit(panel)
    with pytest.raises(ValueError, match="intervals must be"): XGBoostForecaster(intervals="bootstrap").fit(panel)
    with pytest.raises(RuntimeError, match="call fit"): XGBoostForecaster().predict(30)
    with pytest.raises(ValueError, match="were not learned"): fitted.predict(30, quantiles=(0.05, 0.95))
    gapped = panel.drop(index=panel.index[3])
    with pytest.raises(PanelError, match="not daily without gaps"): XGBoostForecaster().fit(gapped)
