"Tests of the LSTM forecasters (`nbs/01_lstm.ipynb`): tiny epochs, a short synthetic panel."
import warnings
import numpy as np
import pandas as pd
import pytest
import torch

from oracle_nb.features import FEATURE_VERSIONS, ModelConfig, daily_panel, synthetic_transactions
from oracle_nb.forecast import Forecaster, PanelError, backtest, get_model
from oracle_nb.lstm import LSTMForecaster, LSTMv1Forecaster, SeriesScaler, window_starts

torch.set_num_threads(1)
Q = ["q0.1", "q0.5", "q0.9"]


@pytest.fixture(scope="module")
def panel():
    p = daily_panel(synthetic_transactions(1, 300, seed=3))
    return p[p.unique_id.isin(sorted(p.unique_id.unique())[:4])].reset_index(drop=True)  # 4 series keep it quick


def small_lstm(**kw):
    return LSTMForecaster(**{"epochs": 2, "hidden": 16, "layers": 1, "windows_per_epoch": 512, "progress": False, **kw})


def small_v1(**kw):
    return LSTMv1Forecaster(**{"epochs": 2, "progress": False, **kw})


@pytest.fixture(scope="module")
def fitted(panel):
    return small_lstm().fit(panel)


def test_c13_scaler_fitted_on_train_only():
    y = np.array([10, 20, 30, 40, 50, 60, 70, 80, 90, 1000.0])
    sc = SeriesScaler().fit(y[:8])
    assert (sc.data_min_, sc.data_max_) == (10.0, 80.0)
    np.testing.assert_allclose(sc.transform(y[8:]), [1.1429, 14.1429], atol=1e-4)  # outside [0, 1], not clipped
    assert SeriesScaler().fit(y).transform(y[:8]).max() == pytest.approx(0.0707, abs=1e-4)  # the leaky fit
    starts = window_starts(8, lookback=3, horizon=1)
    assert (starts + 3).max() < 8  # no training target index >= 8
    np.testing.assert_allclose(sc.inverse_transform(sc.transform(y)), y)


def test_mean_scaler():
    y = np.array([10, 20, 30, 40, 50, 60, 70, 80, 90, 1000.0])
    ms = SeriesScaler("mean").fit(y[:8])
    assert (ms.offset_, ms.scale_) == (0.0, 45.0)  # mean of the first 8 values; zero stays zero
    np.testing.assert_allclose(ms.transform(y[8:]), [2.0, 22.2222], atol=1e-4)
    assert SeriesScaler("mean").fit(np.zeros(5)).scale_ == 1.0  # a category never spent in: no division by zero
    with pytest.raises(ValueError, match="'minmax' or 'mean'"):
        SeriesScaler("robust")


def test_model_scaler_never_sees_the_test_period(panel):
    cut = panel.ds.max() - pd.Timedelta(days=30)
    spiked = panel.copy()
    uid = spiked.unique_id.iloc[0]
    spiked.loc[(spiked.unique_id == uid) & (spiked.ds == panel.ds.max()), "y"] = 1e6
    train = spiked[spiked.ds <= cut]
    m = small_lstm(epochs=1).fit(train)
    assert m.scalers_[uid].data_max_ == train[train.unique_id == uid].y.max() < 1e6
    fc = m.predict(30)  # inverse-transformed: currency units of the same order as the data
    assert fc["mean"].sum() < 50 * train.groupby("unique_id").y.sum().max()


def test_registry():
    assert isinstance(get_model("lstm"), LSTMForecaster) and isinstance(get_model("lstm-v1"), LSTMv1Forecaster)
    assert get_model("lstm").get_params()["lookback"] == 28


@pytest.mark.parametrize("make", [small_lstm, small_v1])
def test_shapes_nonnegative_ordered(panel, make):
    m = make().fit(panel)
    fc = m.predict(30)
    assert len(fc) == 30 * panel.unique_id.nunique()
    assert list(fc.columns) == ["unique_id", "ds", "mean"] + Q
    assert (fc[["mean"] + Q] >= 0).all().all()
    assert (np.diff(fc[Q].to_numpy(), axis=1) >= 0).all()
    tot = m.predict_totals(30)
    assert len(tot) == panel.unique_id.nunique() and (tot[Q] >= 0).all().all()
    assert (np.diff(tot[Q].to_numpy(), axis=1) >= 0).all()


def test_raw_quantile_heads_do_not_cross(fitted):
    from oracle_nb.lstm import _lstm_forecast
    _, qs, total = _lstm_forecast(fitted, 30)
    assert (np.diff(qs, axis=1) >= -1e-4).all() and (np.diff(total, axis=1) >= -1e-4).all()
    assert qs.min() >= -1e-3  # never below zero spending, before any clipping


@pytest.mark.parametrize("make", [small_lstm, small_v1])
def test_save_load_identical(panel, make, tmp_path):
    m = make().fit(panel)
    m.save(tmp_path / "m")
    assert (tmp_path / "m" / "weights.pt").exists()
    cfg = ModelConfig.from_json(tmp_path / "m" / "model_config.json")
    assert cfg.architecture["name"] == m.name and cfg.features == FEATURE_VERSIONS[m.feature_version]
    loaded = Forecaster.load(tmp_path / "m")
    pd.testing.assert_frame_equal(loaded.predict(30), m.predict(30))
    pd.testing.assert_frame_equal(loaded.predict_totals(30), m.predict_totals(30))


def test_total_quantiles_carry_the_conformal_shift(panel, fitted):
    assert fitted.total_shift_.shape == (3,)
    shifted = fitted.predict_totals(30).set_index("unique_id")
    raw = small_lstm().fit(panel)
    raw.total_shift_ = np.zeros(3, np.float32)
    raw = raw.predict_totals(30).set_index("unique_id")
    scale = pd.Series({u: s.scale_ for u, s in fitted.scalers_.items()})
    expected = (raw["q0.5"] + fitted.total_shift_[1] * scale).clip(lower=0)
    learned = [u for u in shifted.index if u not in fitted.fallbacks_]
    assert learned
    np.testing.assert_allclose(shifted.loc[learned, "q0.5"], expected[learned], rtol=1e-4, atol=1e-3)
    swanson = shifted.loc[learned, Q].to_numpy() @ np.array([0.3, 0.4, 0.3])  # the total's mean comes from its quantiles
    np.testing.assert_allclose(shifted.loc[learned, "mean"], swanson, rtol=1e-4, atol=1e-3)


def test_training_uses_its_own_thread_count_and_restores_it(panel, monkeypatch):
    before, seen, forward = torch.get_num_threads(), [], torch.nn.LSTM.forward
    def spy(self, *args, **kwargs):
        seen.append(torch.get_num_threads())
        return forward(self, *args, **kwargs)
    monkeypatch.setattr(torch.nn.LSTM, "forward", spy)
    torch.set_num_threads(2)
    try:
        small_lstm(epochs=1, threads=1).fit(panel).predict(5)
        assert seen and set(seen) == {1} and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_rarely_used_series_get_climatology_with_the_reason(panel):
    spend_days = panel.groupby("unique_id").y.apply(lambda y: int((y != 0).sum()))
    cut = int(spend_days.median()) + 1
    m = small_lstm(min_spend_days=cut).fit(panel)
    rare = sorted(spend_days[spend_days < cut].index)
    assert rare and sorted(m.fallbacks_) == rare
    assert all(f"{spend_days[u]} spending days, fewer than {cut}" in m.fallbacks_[u] for u in rare)
    clim = get_model("climatology").fit(panel[panel.unique_id.isin(rare)]).predict(30).set_index(["unique_id", "ds"])
    fc = m.predict(30).set_index(["unique_id", "ds"])
    pd.testing.assert_frame_equal(fc.loc[clim.index, clim.columns], clim)


def test_deterministic(panel, fitted):
    pd.testing.assert_frame_equal(small_lstm().fit(panel).predict(30), fitted.predict(30))


def test_recursive_and_other_quantiles(panel):
    m = small_lstm(strategy="recursive", epochs=1).fit(panel)
    fc = m.predict(5, quantiles=(0.1, 0.25, 0.5, 0.9))
    assert len(fc) == 5 * panel.unique_id.nunique()
    assert (np.diff(fc[["q0.1", "q0.25", "q0.5", "q0.9"]].to_numpy(), axis=1) >= 0).all()


def test_horizon_longer_than_trained(fitted):
    with pytest.raises(ValueError, match="horizon>=45"):
        fitted.predict(45)


def test_short_history_error_names_series(panel):
    tiny = panel[panel.ds > panel.ds.max() - pd.Timedelta(days=40)]
    with pytest.raises(PanelError, match=r"needs at least 58 days") as e:
        small_lstm(short="error").fit(tiny)
    assert tiny.unique_id.iloc[0] in str(e.value)
    with pytest.raises(PanelError, match=r"needs at least 34 days"):
        small_v1(short="error").fit(tiny.groupby("unique_id").tail(20))


@pytest.mark.parametrize("make", [small_lstm, small_v1])
def test_short_history_climatology_fallback(panel, make):
    uid = panel.unique_id.iloc[0]
    mixed = pd.concat([panel[panel.unique_id != uid], panel[panel.unique_id == uid].tail(20)])
    with pytest.warns(UserWarning, match="climatology"):
        m = make().fit(mixed)
    fc = m.predict(30)
    assert set(fc.unique_id) == set(panel.unique_id) and len(fc) == 30 * panel.unique_id.nunique()
    with pytest.warns(UserWarning, match=uid):
        make().fit(panel[panel.unique_id == uid].tail(20))


def test_nan_rejected_naming_series(panel):
    bad = panel.copy()
    bad.loc[7, "y"] = np.nan
    with pytest.raises(PanelError, match=repr(bad.unique_id[7])):
        small_lstm().fit(bad)


def test_backtest_runs(panel):
    bt = backtest({"lstm": small_lstm(epochs=1), "lstm-v1": small_v1(epochs=1)}, panel, h=30, n_windows=1, progress=False)
    assert not bt.errors and set(bt.daily.model) == {"lstm", "lstm-v1"}
    assert len(bt.totals) == 2 * panel.unique_id.nunique()
