"Features and panels: no leakage, shapes, multi-user panels."
import numpy as np
import pandas as pd
import pytest
from oracle_nb.features import daily_panel, make_features, synthetic_transactions, FEATURE_VERSIONS

@pytest.fixture(scope="module")
def panel():
    return daily_panel(synthetic_transactions(n_users=2, days=200, seed=11))

@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("day", [30, 100, 170])
def test_features_at_t_ignore_the_future(panel, version, day):
    t = panel.ds.min() + pd.Timedelta(days=day)
    rng = np.random.default_rng(day)
    future = panel.ds > t
    changed = panel.assign(y=np.where(future, rng.gamma(1, 500, len(panel)), panel.y))
    a = make_features(panel, version).query("ds <= @t").reset_index(drop=True)
    b = make_features(changed, version).query("ds <= @t").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert not make_features(panel, version).query("ds > @t").equals(make_features(changed, version).query("ds > @t"))

def test_feature_columns_and_values(panel):
    f = make_features(panel, "v2")
    assert f.columns.tolist() == ["unique_id", "ds"] + FEATURE_VERSIONS["v2"]
    assert f[FEATURE_VERSIONS["v2"]].notna().all().all()
    s = f[f.unique_id == "user1/Rent"].reset_index(drop=True)
    # rent is paid on the 1st: 0 days since on the 1st, 1 on the 2nd
    assert s.loc[s.ds.dt.day == 1, "days_since_txn"].eq(0).all()
    assert s.loc[(s.ds.dt.day == 2) & (s.ds > s.ds.min() + pd.Timedelta(days=2)), "days_since_txn"].eq(1).all()
    shares = f.groupby(["ds", f.unique_id.str.split("/").str[0]])["category_share"].sum()
    assert np.allclose(shares[shares > 0], 1.0)

def test_panel_is_dense_per_user(panel):
    spans = panel.groupby("unique_id").ds.agg(["min", "max", "size"])
    assert ((spans["max"] - spans["min"]).dt.days + 1 == spans["size"]).all()
    assert panel.groupby(panel.unique_id.str.split("/").str[0]).ds.min().nunique() == 1
