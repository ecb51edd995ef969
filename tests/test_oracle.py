"The main job: bundled sample, console script on every real export, outputs and errors."
import json, os, subprocess, sys
from pathlib import Path
import pandas as pd
import pytest
from oracle_nb.features import read_transactions
from oracle_nb.oracle import bundled_sample, sample_as_export, forecast_spending
from conftest import REAL_FILES, needs_shared

def strict_json(text):
    def no_constants(c): raise ValueError(f"non-finite constant {c} in JSON")
    return json.loads(text, parse_constant=no_constants)

def run_cli(*args, cwd=None, env=None):
    "Run the installed `oracle_forecast` console script (`env`: extra environment variables)."
    return subprocess.run([str(Path(sys.executable).parent / "oracle_forecast"), *args],
                          capture_output=True, text=True, cwd=cwd, timeout=600, env={**os.environ, **(env or {})})

def test_bundled_sample_is_the_generators_output():
    shipped = pd.read_csv(bundled_sample())
    pd.testing.assert_frame_equal(shipped, pd.read_csv(pd.io.common.StringIO(sample_as_export().to_csv(index=False))))

def test_cli_on_bundled_sample(tmp_path):
    r = run_cli("--out", str(tmp_path), "--quiet")
    assert r.returncode == 0, r.stderr
    assert "spending over the next 30 days" in r.stdout and "Rent" in r.stdout
    fc = pd.read_csv(tmp_path / "forecast.csv")
    assert fc.columns.tolist() == ["unique_id", "ds", "mean", "q0.1", "q0.5", "q0.9"]
    assert (fc.groupby("unique_id").size() == 30).all() and (fc[["mean", "q0.1", "q0.5", "q0.9"]] >= 0).all().all()
    totals = pd.read_csv(tmp_path / "totals.csv")
    assert ((totals["q0.1"] <= totals["q0.5"]) & (totals["q0.5"] <= totals["q0.9"])).all()
    doc = strict_json((tmp_path / "forecast.json").read_text())
    assert doc["model"] == "chronos" and doc["horizon"] == 30 and len(doc["series"]) == len(totals)
    assert (tmp_path / "forecast.png").stat().st_size > 10_000

@needs_shared
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.parent.name)
def test_cli_on_real_exports(path, tmp_path):
    r = run_cli("--data", str(path), "--model", "climatology", "--out", str(tmp_path), "--quiet")
    assert r.returncode == 0, r.stderr
    totals = pd.read_csv(tmp_path / "totals.csv")
    assert len(totals) >= 10 and (totals[["mean", "q0.1", "q0.5", "q0.9"]] >= 0).all().all()
    strict_json((tmp_path / "forecast.json").read_text())

@needs_shared
def test_mint_groceries_forecast_is_plausible():
    "Climatology's median 30-day groceries total sits near the recent monthly groceries spend of the file."
    from conftest import MINT
    res = forecast_spending(read_transactions(MINT), "climatology", 30, progress=False)
    t = res["table"].set_index("category").loc["Groceries"]
    raw = pd.read_csv(MINT)
    g = raw[(raw.Category == "Groceries")]
    monthly = (g.loc[g["Transaction Type"] == "debit", "Amount"].sum() - g.loc[g["Transaction Type"] == "credit", "Amount"].sum()) / 21
    assert 0.5 * monthly < t["q0.5"] < 2 * monthly
    assert t["q0.1"] < monthly < t["q0.9"]

def test_cli_unreadable_file_says_why(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Wann;Wert\n13.03.2024;-1,50\n")
    r = run_cli("--data", str(bad), "--out", str(tmp_path / "o"))
    assert r.returncode == 2
    assert "Columns found: ['Wann', 'Wert']" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("--data", str(bad), "--columns", "date=Wann,amount=Wert", "--amounts", "signed", "--out", str(tmp_path / "o"), "--quiet")
    assert r.returncode == 0, r.stderr

def test_cli_rejects_unknown_model_and_horizon(tmp_path):
    r = run_cli("--model", "prophecy", "--out", str(tmp_path))
    assert r.returncode == 2 and "unknown model 'prophecy'" in r.stderr
    r = run_cli("--out", str(tmp_path), env={"MODEL_TYPE": "chronoss"})
    assert r.returncode == 2 and "unknown model 'chronoss' (from $MODEL_TYPE)" in r.stderr
    r = run_cli("--horizon", "0", "--out", str(tmp_path))
    assert r.returncode == 2 and "--horizon must be between 1 and 365" in r.stderr

def test_rejected_rows_are_written(tmp_path):
    src = tmp_path / "x.csv"
    src.write_text("date,amount,category\n" + "".join(f"2024-01-{d:02d},-{d},Food\n" for d in range(1, 29)) + "2024-01-29,oops,Food\n")
    r = run_cli("--data", str(src), "--out", str(tmp_path / "o"), "--quiet")
    assert r.returncode == 0, r.stderr
    assert "1 rows rejected" in r.stdout and "line 30: amount: not a number (oops)" in r.stdout
    assert pd.read_csv(tmp_path / "o" / "rejected.csv")["line"].tolist() == [30]
