"Chronos forecaster: tiny random models of each family, saved and loaded through the real loading path."
import warnings
from pathlib import Path
import numpy as np
import pandas as pd
import pytest
import torch

from oracle_nb.chronos import (ChronosForecaster, ChronosWeightsError, bundled_model_path, chronos_forecast, load_pipeline,
                               model_family, resolve_model, tiny_chronos)
from oracle_nb.features import daily_panel, synthetic_transactions
from oracle_nb.forecast import Forecaster, get_model

torch.set_num_threads(1)
FAMILIES = ["chronos-2", "bolt", "t5"]


@pytest.fixture(scope="module")
def panel():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return daily_panel(synthetic_transactions(2, 150, seed=3))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    root = tmp_path_factory.mktemp("tiny")
    return {fam: str(tiny_chronos(fam, root / fam)) for fam in FAMILIES}


@pytest.mark.parametrize("family", FAMILIES)
def test_each_family_loads_and_forecasts(tiny, panel, family):
    f = ChronosForecaster(tiny[family]).fit(panel)
    assert model_family(f.pipeline) == family
    fc = f.predict(30)
    n = panel.unique_id.nunique()
    assert fc.shape == (n * 30, 6) and list(fc.columns) == ["unique_id", "ds", "mean", "q0.1", "q0.5", "q0.9"]
    assert (fc[["mean", "q0.1", "q0.5", "q0.9"]].to_numpy() >= 0).all() and np.isfinite(fc[["mean", "q0.1", "q0.9"]].to_numpy()).all()
    assert (fc["q0.1"] <= fc["q0.5"]).all() and (fc["q0.5"] <= fc["q0.9"]).all()
    assert fc.groupby("unique_id").ds.min().eq(panel.ds.max() + pd.Timedelta(days=1)).all()
    tot = f.predict_totals(30)
    assert len(tot) == n and (tot["q0.1"] <= tot["q0.9"]).all() and (tot["mean"] >= 0).all()


def test_bolt_horizon_past_native_length_keeps_intervals(tiny, panel):
    f = ChronosForecaster(tiny["bolt"]).fit(panel)
    fc = f.predict(90)
    assert any("prediction length <= 64" in w for w in f.notes_)
    width = (fc["q0.9"] - fc["q0.1"]).to_numpy().reshape(-1, 90)
    live = width[:, 63] > 0
    assert live.any() and (width[live, 64:] >= 0.5 * width[live, 63:64] - 1e-6).all()


@pytest.mark.parametrize("family", FAMILIES)
def test_zero_and_nan_histories(tiny, family):
    pipe = load_pipeline(tiny[family])
    res = chronos_forecast(pipe, [np.zeros(60), np.full(20, np.nan), np.r_[np.full(10, np.nan), 5.0, 0.0, 3.0], np.array([7.0])], 10)
    assert res["quantiles"].shape[:2] == (4, 10) and res["mean"].shape == (4, 10)
    assert (res["quantiles"][:2] == 0).all() and (res["mean"][:2] == 0).all()
    assert np.isfinite(res["quantiles"]).all() and np.isfinite(res["mean"]).all()


def test_missing_weights_fail_in_one_sentence(monkeypatch, panel):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ChronosWeightsError) as e:
        ChronosForecaster("amazon/chronos-bolt-nonexistent-xyz").fit(panel)
    msg = str(e.value)
    assert "not on this machine" in msg and "CHRONOS_MODEL" in msg and msg.count(". ") == 0
    assert e.value.__suppress_context__ and e.value.__cause__ is None


def test_model_resolution(monkeypatch, tiny):
    monkeypatch.delenv("CHRONOS_MODEL", raising=False); monkeypatch.delenv("CHRONOS_MODEL_SIZE", raising=False)
    assert resolve_model() == str(bundled_model_path())
    monkeypatch.setenv("CHRONOS_MODEL_SIZE", "small")
    assert resolve_model() == "amazon/chronos-bolt-small"
    monkeypatch.setenv("CHRONOS_MODEL", tiny["bolt"])
    assert resolve_model() == tiny["bolt"] and resolve_model("x/y") == "x/y"
    monkeypatch.delenv("CHRONOS_MODEL"); monkeypatch.setenv("CHRONOS_MODEL_SIZE", "huge")
    with pytest.raises(ValueError, match="CHRONOS_MODEL_SIZE"): resolve_model()


def test_bad_options(tiny, panel):
    with pytest.raises(ValueError, match="unknown covariates"): ChronosForecaster(covariates=("rain",))
    with pytest.raises(ValueError, match="need a Chronos-2 model"): ChronosForecaster(tiny["bolt"], group=True).fit(panel)
    with pytest.raises(ValueError, match="fine_tune needs a Chronos-2"): ChronosForecaster(tiny["bolt"]).fine_tune(panel, steps=1)
    with pytest.raises(ValueError, match="mode must be"): ChronosForecaster(tiny["chronos-2"]).fine_tune(panel, steps=1, mode="half")
    with pytest.raises(ValueError, match="totals must be"): ChronosForecaster(totals="sum")
    with pytest.raises(ValueError, match="covariates are daily"): ChronosForecaster(aggregate=7, covariates=("is_weekend",))


@pytest.mark.parametrize("options", [dict(covariates=("is_holiday", "is_month_end")), dict(group=True), dict(aggregate=7),
                                     dict(totals="calibrated")])
def test_chronos2_options(tiny, panel, options):
    f = ChronosForecaster(tiny["chronos-2"], **options).fit(panel)
    fc, tot = f.predict(45), f.predict_totals(30)
    assert len(fc) == panel.unique_id.nunique() * 45 and (fc["q0.1"] <= fc["q0.9"]).all() and (fc["mean"] >= 0).all()
    assert len(tot) == panel.unique_id.nunique() and (tot["q0.1"] <= tot["q0.5"]).all()
    if options.get("aggregate") == 7:  # a week's forecast is spread evenly over its days
        first = fc[fc.unique_id == fc.unique_id.iloc[0]]["mean"].to_numpy()
        np.testing.assert_allclose(first[:7], first[0])


def test_fine_tune_at_fit(tiny, panel):
    f = ChronosForecaster(tiny["chronos-2"], fine_tune_steps=2, fine_tune_mode="full").fit(panel)
    assert f.tuned_ != tiny["chronos-2"] and len(f.predict(10)) == panel.unique_id.nunique() * 10


def test_save_load_same_forecasts(tiny, panel, tmp_path):
    f = ChronosForecaster(tiny["bolt"]).fit(panel)
    f.save(tmp_path / "m")
    g = Forecaster.load(tmp_path / "m")
    pd.testing.assert_frame_equal(f.predict(30), g.predict(30))


@pytest.mark.parametrize("mode", ["full", "lora"])
def test_fine_tune_saves_and_loads(tiny, panel, tmp_path, mode):
    base = ChronosForecaster(tiny["chronos-2"], group=True, covariates=("is_weekend", "is_holiday")).fit(panel)
    ft = base.fine_tune(panel, steps=3, mode=mode, out=tmp_path / "ft", learning_rate=1e-2)
    assert ft.model == str(tmp_path / "ft") and (tmp_path / "ft" / "config.json").exists()
    assert not np.allclose(ft.predict(10)["q0.9"], base.predict(10)["q0.9"])
    ft.save(tmp_path / "saved")
    g = Forecaster.load(tmp_path / "saved")
    pd.testing.assert_frame_equal(ft.predict(10), g.predict(10))


def test_totals_read_fifteen_months_of_calendar_totals(tiny, monkeypatch):
    import oracle_nb.chronos as C
    seen, real = [], C.chronos_forecast
    def spy(pipe, contexts, h, *args, **kw):
        seen.append(([len(c) for c in contexts], h))
        return real(pipe, contexts, h, *args, **kw)
    monkeypatch.setattr(C, "chronos_forecast", spy)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = daily_panel(synthetic_transactions(1, 1500, seed=2))
    n = p.unique_id.nunique()
    for last in p.ds.max() - pd.to_timedelta([0, 40, 100, 200, 300], unit="D"):  # any day of the month and of the year
        ChronosForecaster(tiny["chronos-2"]).fit(p[p.ds <= last]).predict_totals(30)
        assert seen[-1] == ([15] * n, 1)  # one step of the past 15 months' totals of the coming days of the month
    ChronosForecaster(tiny["chronos-2"], totals_windows=24).fit(p).predict_totals(30)
    assert seen[-1] == ([24] * n, 1)
    ChronosForecaster(tiny["chronos-2"], totals_windows=24).fit(p[p.ds <= p.ds.min() + pd.Timedelta(days=400)]).predict_totals(30)
    assert seen[-1] == ([12] * n, 1)  # 1 Jan 2023-5 Feb 2024 hold 12 whole windows; the newest, 6 Jan-6 Feb, is skipped
    with pytest.raises(ValueError, match="totals_windows"): ChronosForecaster(totals_windows=0)


def _bills_panel(last: str) -> pd.DataFrame:
    "Two years of a rent of 1000 on the 1st and a 50 shop every Tuesday, up to `last`."
    ds = pd.date_range(pd.Timestamp(last) - pd.Timedelta(days=729), last, freq="D")
    return pd.concat([pd.DataFrame({"unique_id": "me/Rent", "ds": ds, "y": np.where(ds.day == 1, 1000.0, 0.0)}),
                      pd.DataFrame({"unique_id": "me/Groceries", "ds": ds, "y": np.where(ds.dayofweek == 1, 50.0, 0.0)})])


@pytest.mark.parametrize("last, rent, shop", [("2024-10-01", 0.0, 200.0),    # 2-31 Oct: no 1st, 4 Tuesdays
                                              ("2024-09-30", 1000.0, 250.0), # 1-30 Oct: one 1st, 5 Tuesdays
                                              ("2025-01-31", 2000.0, 200.0)]) # 1 Feb-2 Mar: two 1sts, 4 Tuesdays
def test_bundled_model_knows_which_bills_fall_in_the_coming_days(last, rent, shop):
    tot = ChronosForecaster().fit(_bills_panel(last)).predict_totals(30).set_index("unique_id")
    assert tot.loc["me/Rent", "q0.5"] == pytest.approx(rent, abs=10)
    assert tot.loc["me/Groceries", "q0.5"] == pytest.approx(shop, abs=5)
    climatology = get_model("climatology").fit(_bills_panel(last)).predict_totals(30).set_index("unique_id")
    assert climatology.loc["me/Rent", "q0.5"] == 1000.0  # almost every past 30 days held a rent


def test_fine_tune_without_out_leaves_no_folder_behind(tiny, tmp_path):
    import subprocess, sys
    script = (f"import warnings; warnings.simplefilter('ignore')\n"
              f"from oracle_nb.chronos import ChronosForecaster\n"
              f"from oracle_nb.features import daily_panel, synthetic_transactions\n"
              f"p = daily_panel(synthetic_transactions(1, 120, seed=1))\n"
              f"ft = ChronosForecaster({tiny['chronos-2']!r}).fine_tune(p, steps=1)\n"
              f"print(ft.model)\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    folder = Path(run.stdout.strip().splitlines()[-1])
    assert folder.name.startswith("oracle-chronos-ft-") and not folder.exists()  # removed when that Python exited


def test_bundled_model_is_the_registry_default(monkeypatch, panel):
    monkeypatch.delenv("CHRONOS_MODEL", raising=False); monkeypatch.delenv("CHRONOS_MODEL_SIZE", raising=False)
    files = sorted(p.name for p in bundled_model_path().iterdir())
    assert files == ["config.json", "model.safetensors"]
    assert sum(p.stat().st_size for p in bundled_model_path().iterdir()) < 10 * 2**20
    f = get_model("chronos").fit(panel)
    assert model_family(f.pipeline) == "chronos-2"
    fc = f.predict(30)
    assert len(fc) == panel.unique_id.nunique() * 30 and (fc["q0.1"] <= fc["q0.9"]).all()
    res = chronos_forecast(f.pipeline, [np.zeros(60)], 30)
    assert (res["quantiles"] == 0).all()
