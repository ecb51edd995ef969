"oracle_report: papermill parameters arrive typed and validated; failures are isolated and indexed (case C15)."
import json, subprocess, sys
from pathlib import Path
import nbformat
import pytest
from oracle_nb.report import run_reports, project_notebooks

KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}

def notebook(path, cells, tagged=True):
    code = [nbformat.v4.new_code_cell(c) for c in cells]
    if tagged: code[0].metadata["tags"] = ["parameters"]
    nbformat.write(nbformat.v4.new_notebook(cells=code, metadata=KERNEL), path)
    return path

C15_PARAMS = 'categories = ["groceries"]\naccount_suffix = "0000"\nhorizon = 14\nas_of = "2024-01-31"'
C15_CHECK = """import datetime as dt, json
from oracle_nb.report import coerce_param
categories = coerce_param("categories", categories, list)
account_suffix = coerce_param("account_suffix", account_suffix, str)
as_of = coerce_param("as_of", as_of, dt.date)
horizon = coerce_param("horizon", horizon, int, low=1, high=365)
json.dump({"categories": categories, "account_suffix": account_suffix, "as_of": str(as_of), "horizon": horizon}, open("seen.json", "w"))"""

def test_c15_papermill_injection_is_coerced(tmp_path):
    nb = notebook(tmp_path / "report.ipynb", [C15_PARAMS, C15_CHECK])
    pm = Path(sys.executable).parent / "papermill"
    r = subprocess.run([str(pm), str(nb), str(tmp_path / "out.ipynb"), "--cwd", str(tmp_path),
                        "-p", "categories", "[groceries, rent]", "-r", "account_suffix", "0042", "-p", "horizon", "30",
                        "-y", "as_of: 2024-03-31"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "seen.json").read_text()) == {
        "categories": ["groceries", "rent"], "account_suffix": "0042", "as_of": "2024-03-31", "horizon": 30}
    r = subprocess.run([str(pm), str(nb), str(tmp_path / "out2.ipynb"), "--cwd", str(tmp_path), "-p", "horizon", "thirty"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode != 0 and "parameter horizon='thirty': expected an integer" in r.stderr

def test_failures_are_isolated_and_indexed(tmp_path):
    good = notebook(tmp_path / "a_good.ipynb", ["HORIZON: int = 30", "print(HORIZON)"])
    bad = notebook(tmp_path / "b_bad.ipynb", ["HORIZON: int = 30", "raise ValueError('no data for gifts')"])
    untagged = notebook(tmp_path / "c_untagged.ipynb", ["HORIZON = 30", "print(1)"], tagged=False)
    out = tmp_path / "out"
    sts = run_reports([good, bad, untagged], out, horizon=7, progress=False)
    assert [s["ok"] for s in sts] == [True, False, False]
    assert sts[0]["parameters"] == {"HORIZON": 7}
    assert "ValueError: no data for gifts" in sts[1]["error"]
    assert "has no cell tagged 'parameters'" in sts[2]["error"]
    index = (out / "index.html").read_text()
    assert "FAILED: ValueError: no data for gifts" in index and (out / "a_good.html").exists() and (out / "b_bad.html").exists()

def test_every_project_notebook_is_a_report():
    names = [p.stem for p in project_notebooks()]
    assert names[:4] == ["00_features", "00_forecast", "00_metrics", "00_oracle"] and "index" not in names

def test_cli_exits_nonzero_on_unknown_notebook():
    r = subprocess.run([str(Path(sys.executable).parent / "oracle_report"), "--notebooks", "99_nothing"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode != 0 and "no notebook named ['99_nothing']" in r.stderr
