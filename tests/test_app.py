"The Flask API: imports into SQLite, forecasts, and errors as JSON (cases C01, C08, C14)."
import json
import numpy as np
import pytest
from oracle_nb.app import create_app, json_safe
from oracle_nb.oracle import bundled_sample
import oracle_nb.app as app_module
from oracle_nb.forecast import Forecaster

def strict(resp):
    def refuse(c): raise ValueError(f"invalid JSON constant {c}")
    return json.loads(resp.get_data(as_text=True), parse_constant=refuse)

@pytest.fixture
def client(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "oracle.sqlite"), "MODEL_TYPE": "climatology"}).test_client()

@pytest.fixture
def loaded(client):
    s = bundled_sample()
    r = client.post("/api/transactions", data={"file": (open(s, "rb"), s.name)})
    assert r.status_code == 201 and strict(r)["imported"] == 1140
    return client

def test_c14_numpy_and_non_finite_values_become_valid_json():
    assert json_safe({"category": "groceries", "forecast": [12.5, float("nan"), float("inf")]}) == {"category": "groceries", "forecast": [12.5, None, None]}
    assert json_safe({"yhat": np.float32(12.5), "horizon": np.int64(30)}) == {"yhat": 12.5, "horizon": 30}
    app = create_app({"TESTING": True})
    with app.app_context():
        body = app.json.dumps({"f": [np.float64("nan"), np.float32(1.5)], "n": np.int64(3)})
    assert json.loads(body) == {"f": [None, 1.5], "n": 3}

def test_c14_bad_requests_name_the_field(loaded):
    r = loaded.post("/api/oracle/predict", json={"user_id": "user", "category": "groceries", "horizon": "thirty"})
    assert r.status_code == 400 and strict(r) == {"error": "horizon must be an integer between 1 and 365"}
    for bad in (0, 366, 2.5, True):
        assert loaded.post("/api/oracle/predict", json={"user_id": "user", "horizon": bad}).status_code == 400
    r = loaded.post("/api/oracle/predict", json={"user_id": "user", "category": "gifts"})
    assert r.status_code == 404 and "unknown category 'gifts'" in strict(r)["error"]
    assert loaded.post("/api/oracle/predict", json={"user_id": "user", "model": "astrology"}).status_code == 400
    assert loaded.post("/api/oracle/predict", data="horizon=30").status_code == 400
    assert loaded.post("/api/oracle/predict", json={"user_id": "ghost"}).status_code == 404

def test_predict_answers_totals_and_daily(loaded):
    r = loaded.post("/api/oracle/predict", json={"user_id": "user", "horizon": 30, "category": "GROCERIES"})
    body = strict(r)
    assert r.status_code == 200 and body["model"] == "climatology" and body["as_of"] == "2024-12-30"
    [g] = body["forecasts"]
    assert g["category"] == "Groceries" and len(g["daily"]) == 30 and g["daily"][0]["ds"] == "2024-12-31"
    t = g["total"]
    assert 0 <= t["q0.1"] <= t["q0.5"] <= t["q0.9"] and g["incomplete"] is False
    assert 250 < t["q0.5"] < 600   # the sample's groceries run at about 400 a month

def test_every_response_is_valid_json(loaded, monkeypatch):
    for r in [loaded.get("/api/model/info"), loaded.get("/api/health"), loaded.get("/api/transactions?user_id=user"),
              loaded.post("/api/oracle/predict", json={"user_id": "user", "horizon": 3}), loaded.get("/api/nope")]:
        strict(r)
    def boom(*a, **k): raise RuntimeError("secret internals")
    monkeypatch.setattr(app_module, "forecast_spending", boom)
    r = loaded.post("/api/oracle/predict", json={"user_id": "user", "horizon": 5})
    assert r.status_code == 500 and "Traceback" not in r.get_data(as_text=True) and "secret" not in r.get_data(as_text=True)
    assert strict(r)["error"].startswith("internal error (RuntimeError)")

def test_c01_ambiguous_import_is_422_naming_date_format(client):
    r = client.post("/api/transactions", data="Date,Description,Amount\n01/02/2024,RENT,-1200.00\n03/02/2024,PHARMACY,-8.99\n")
    err = strict(r)["error"]
    assert r.status_code == 422 and "date_format" in err and "1 Feb 2024 (day-first) or 2 Jan 2024 (month-first)" in err
    assert strict(client.get("/api/model/info"))["transactions"] == 0     # nothing stored
    r = client.post("/api/transactions?date_format=%25d/%25m/%25Y",
                    data="Date,Description,Amount\n01/02/2024,RENT,-1200.00\n03/02/2024,PHARMACY,-8.99\n")
    assert r.status_code == 201
    rows = strict(client.get("/api/transactions?user_id=user"))["transactions"]
    assert [x["date"] for x in rows] == ["2024-02-01", "2024-02-03"]

def test_import_reports_rejected_rows(client):
    r = client.post("/api/transactions", data={"user_id": "ann", "file": (
        __import__("io").BytesIO(b"date,amount,category\n2024-01-01,-10,Food\n2024-01-02,oops,Food\n"), "x.csv")})
    body = strict(r)
    assert r.status_code == 201 and body["imported"] == 1 and body["users"] == ["ann"]
    assert body["rejected"] == [{"line": 3, "reason": "amount: not a number (oops)", "row": "2024-01-02,oops,Food"}]

def test_model_type_is_checked_at_start(tmp_path):
    with pytest.raises(ValueError, match="MODEL_TYPE='astrology' is not a model"):
        create_app({"MODEL_TYPE": "astrology", "DATABASE": str(tmp_path / "x.sqlite")})

def test_model_dir_keeps_fitted_models(tmp_path, monkeypatch):
    cfg = {"TESTING": True, "DATABASE": str(tmp_path / "oracle.sqlite"), "MODEL_TYPE": "seasonal_naive", "MODEL_DIR": str(tmp_path / "models")}
    c = create_app(cfg).test_client()
    s = bundled_sample()
    c.post("/api/transactions", data={"file": (open(s, "rb"), s.name)})
    first = strict(c.post("/api/oracle/predict", json={"user_id": "user", "horizon": 7}))
    assert (tmp_path / "models" / "seasonal_naive" / "user" / "model_config.json").exists()
    # a restarted app reloads the saved model for unchanged data instead of refitting
    def no_refit(*a, **k): raise AssertionError("refitted instead of loading")
    monkeypatch.setattr(Forecaster, "fit", no_refit)
    again = strict(create_app(cfg).test_client().post("/api/oracle/predict", json={"user_id": "user", "horizon": 7}))
    assert again == first

def test_c08_brand_new_category_gets_a_fallback_not_a_500(client):
    "One transaction of a new category: Prophet is not called for it; the API answers 200 with model 'fallback' and a reason."
    days = [f"2024-{m:02d}-{d:02d}" for m in (1, 2, 3) for d in (5, 12, 19, 26)]
    csv = "date,amount,category\n" + "".join(f"{d},-40,Groceries\n" for d in days) + "2024-03-31,-35.00,Gifts\n"
    assert client.post("/api/transactions", data=csv).status_code == 201
    r = client.post("/api/oracle/predict", json={"user_id": "user", "horizon": 30, "model": "prophet"})
    body = strict(r)
    assert r.status_code == 200, body
    by_cat = {f["category"]: f for f in body["forecasts"]}
    assert by_cat["Gifts"]["model"] == "fallback" and by_cat["Gifts"]["reason"] == "too few spending days: 1 < 2"
    assert by_cat["Gifts"]["low_confidence"] is True
    assert by_cat["Groceries"]["model"] == "prophet"
    assert 80 < by_cat["Groceries"]["total"]["q0.5"] < 250    # about four weekly shops of 40

def test_importing_an_overlapping_export_again_adds_only_new_rows(client):
    first = "date,amount,category\n2024-01-01,-10,Food\n2024-01-01,-10,Food\n2024-01-02,-5,Food\n"
    assert strict(client.post("/api/transactions", data=first)) ["imported"] == 3   # two identical purchases stay two
    again = strict(client.post("/api/transactions", data=first + "2024-01-03,-7,Food\n"))
    assert (again["imported"], again["already_stored"]) == (1, 3)
    assert strict(client.get("/api/model/info"))["transactions"] == 4

def test_unknown_fields_are_refused(loaded):
    r = loaded.post("/api/oracle/predict", json={"user_id": "user", "modle": "prophet"})
    assert r.status_code == 400 and "unknown field(s) ['modle']" in strict(r)["error"]
    r = loaded.post("/api/transactions?colums=date=Wann", data="date,amount\n2024-01-01,-1\n")
    assert r.status_code == 400 and "unknown field(s) ['colums']" in strict(r)["error"]
    r = loaded.post("/api/transactions?decimal=x", data="date,amount\n2024-01-01,-1\n")
    assert r.status_code == 422 and "decimal='x'" in strict(r)["error"]
