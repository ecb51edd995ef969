"Prophet and statsforecast baselines: case C08, degenerate series, interface contract, save/load."
import numpy as np
import pandas as pd
import pytest

from oracle_nb.baselines import (ADIDAForecaster, AutoETSForecaster, CrostonSBAForecaster, ProphetForecaster, TSBForecaster,
                                 fallback_forecast, series_issue)
from conftest import check_forecast
from oracle_nb.features import daily_panel, synthetic_transactions
from oracle_nb.forecast import MODELS, Forecaster, get_model

QCOLS = ["mean", "q0.1", "q0.5", "q0.9"]
STATS = [AutoETSForecaster, CrostonSBAForecaster, TSBForecaster, ADIDAForecaster]


def tx(dates, amounts, category="Restaurants", user="u"):
    "Canonical transactions (spending) on `dates`."
    return pd.DataFrame({"user_id": user, "date": pd.to_datetime(dates), "amount": amounts, "category": category,
                         "description": "X", "account": "Card", "kind": "expense", "status": "posted"})


@pytest.fixture(scope="module")
def panel():
    return daily_panel(synthetic_transactions(1, 150, seed=3))


@pytest.fixture(scope="module")
def fridays():
    ds = pd.date_range("2024-01-01", periods=56)  # a Monday
    return pd.DataFrame({"unique_id": "u/Restaurants", "ds": ds, "y": np.where(ds.dayofweek == 4, 45.0, 0.0)})




# --- C08: Prophet on mostly-zero, gap-filled or very short series ---------------------------------------------
@pytest.mark.parametrize("transform", ["log1p", "none"])
def test_c08_a_fridays_never_negative_total_180(fridays, transform):
    fc = ProphetForecaster(transform=transform, progress=False).fit(fridays).predict(28)
    assert (fc[QCOLS] >= 0).all().all()
    assert fc["mean"].sum() == pytest.approx(180, abs=20)
    assert fc.loc[fc.ds.dt.dayofweek == 4, "q0.5"].to_numpy() == pytest.approx(np.full(4, 45.0), abs=5)


@pytest.mark.parametrize("transform", ["log1p", "none"])
def test_c08_b_gaps_are_densified_before_fitting(transform):
    p = daily_panel(tx(["2024-01-05", "2024-02-09", "2024-03-08"], [40.0, 38.0, 42.0]))
    assert len(p) == 64 and (p.y == 0).sum() == 61  # full daily grid, zeros filled
    m = ProphetForecaster(transform=transform, progress=False).fit(p)
    assert "u/Restaurants" in m.models_ and m.fallbacks_ == {}
    total = m.predict(30)["mean"].sum()
    assert 15 < total < 100, total  # around 40 (one purchase a month), far from 30 x 40 = 1200


def test_c08_c_single_transaction_falls_back_without_calling_prophet(monkeypatch):
    import prophet
    def boom(*a, **k): raise AssertionError("Prophet must not be called")
    monkeypatch.setattr(prophet, "Prophet", boom)
    p = daily_panel(tx(["2024-03-31"], [35.0], category="Gifts"))
    m = ProphetForecaster(progress=False).fit(p)
    assert m.models_ == {} and m.fallbacks_ == {"u/Gifts": "too short: 1 days < 14"}
    fc = m.predict(30)
    assert fc["mean"].sum() == pytest.approx(35.0)
    assert (fc[QCOLS] >= 0).all().all()


def test_prophet_is_quiet_and_checks_arguments(fridays, capfd):
    ProphetForecaster(progress=False).fit(fridays)
    err = capfd.readouterr().err
    assert "Chain [1]" not in err and "cmdstanpy" not in err
    with pytest.raises(ValueError, match="country 'XX' is not known"):
        ProphetForecaster(country="XX", progress=False).fit(fridays)
    with pytest.raises(ValueError, match="transform must be"):
        ProphetForecaster(transform="sqrt", progress=False).fit(fridays)


def test_prophet_contract_and_round_trip(panel, tmp_path):
    m = get_model("prophet", progress=False).fit(panel)
    fc = m.predict(30)
    check_forecast(fc, panel, 30)
    assert fc.equals(m.predict(30))  # seeded samples: same forecast twice
    loaded = Forecaster.load(m.save(tmp_path / "prophet"))
    assert type(loaded) is ProphetForecaster
    pd.testing.assert_frame_equal(loaded.predict(30), fc)
    q = loaded.predict(7, quantiles=(0.05, 0.5, 0.95))
    assert (q["q0.05"] <= q["q0.95"]).all() and (q[["q0.05", "q0.95"]] >= 0).all().all()


# --- statsforecast wrappers --------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", STATS)
def test_stats_contract_and_round_trip(cls, panel, tmp_path):
    m = cls(progress=False).fit(panel)
    fc = m.predict(30)
    check_forecast(fc, panel, 30)
    assert fc.groupby("unique_id")["mean"].sum().gt(0).all()
    pd.testing.assert_frame_equal(Forecaster.load(m.save(tmp_path / cls.name)).predict(30), fc)


@pytest.mark.parametrize("name,cls", [("ets", AutoETSForecaster), ("croston", CrostonSBAForecaster), ("tsb", TSBForecaster),
                                      ("adida", ADIDAForecaster)])
def test_registry(name, cls):
    m = get_model(name)
    assert type(m) is cls and m.name == name
    assert m.clone().get_params() == m.get_params()


@pytest.mark.parametrize("cls", STATS + [ProphetForecaster])
def test_degenerate_series_fall_back_with_reasons(cls):
    odd = pd.concat([pd.DataFrame({"unique_id": "u/zero", "ds": pd.date_range("2024-01-01", periods=60), "y": 0.0}),
                     pd.DataFrame({"unique_id": "u/const", "ds": pd.date_range("2024-01-01", periods=60), "y": 9.99}),
                     pd.DataFrame({"unique_id": "u/new", "ds": pd.date_range("2024-02-28", periods=2), "y": [0.0, 35.0]}),
                     pd.DataFrame({"unique_id": "u/once", "ds": pd.date_range("2024-01-01", periods=60), "y": np.r_[np.zeros(59), 80.0]})])
    m = cls(progress=False).fit(odd)
    assert m.models_ == {}
    assert m.fallbacks_ == {"u/const": "constant", "u/new": "too short: 2 days < 14", "u/zero": "all zero",
                            "u/once": "too few spending days: 1 < 2"}
    tot = m.predict(10).groupby("unique_id")["mean"].sum()
    assert tot.to_dict() == pytest.approx({"u/const": 99.9, "u/new": 35 / 30 * 10, "u/zero": 0.0, "u/once": 80 / 60 * 10})


def test_refunds_never_give_negative_forecasts():
    ds = pd.date_range("2024-01-01", periods=60)
    y = np.where(ds.dayofweek == 2, 30.0, 0.0)
    y[[5, 20, 40]] = -25.0  # net refund days
    p = pd.DataFrame({"unique_id": "u/Shopping", "ds": ds, "y": y})
    for cls in STATS:
        fc = cls(progress=False).fit(p).predict(14)
        assert (fc[QCOLS] >= 0).all().all()


def test_series_issue_and_fallback_rules():
    assert series_issue(np.zeros(5)) == "all zero"
    assert series_issue(-np.ones(30)) == "all zero"  # only refunds: no spending to model
    assert series_issue(np.r_[np.zeros(10), 5.0, 6.0, 0, 0]) is None
    assert series_issue(np.r_[np.zeros(10), 5.0, 6.0, 0, 0], min_history=20).startswith("too short")
    fb = fallback_forecast(np.r_[np.zeros(20), 50.0, 30.0, 20.0, 0, 0, 0, 0, 0, 0, 0], 4, (0.1, 0.5, 0.9))
    assert fb["mean"] == pytest.approx(np.full(4, 100 / 30))
    assert fb["q0.1"].tolist() == [0.0] * 4 and fb["q0.9"][0] == pytest.approx(np.quantile([0] * 27 + [50, 30, 20], 0.9))
