"""minigrad.save/load: round trips of model and optimizer state dicts, and no code execution on load."""
import io
import pickle
from collections import OrderedDict

import numpy as np
import pytest

import minigrad
import minigrad.nn as nn


def round_trip(obj, tmp_path=None):
    if tmp_path is None:
        buf = io.BytesIO()
        minigrad.save(obj, buf)
        buf.seek(0)
        return minigrad.load(buf)
    path = tmp_path / "ckpt.pt"
    minigrad.save(obj, path)
    assert path.exists() and not (tmp_path / "ckpt.pt.npz").exists()
    return minigrad.load(str(path))


def test_model_state_dict_round_trip(tmp_path):
    m = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 3).double())
    sd = round_trip(m.state_dict(), tmp_path)
    assert isinstance(sd, OrderedDict) and list(sd) == list(m.state_dict())
    for k, v in m.state_dict().items():
        assert sd[k].dtype == v.dtype and np.array_equal(sd[k].numpy(), v.numpy())
    fresh = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(8, 3).double())
    fresh.load_state_dict(sd)
    x = minigrad.randn(2, 1, 4, 4)
    np.testing.assert_array_equal(fresh(x).detach().numpy(), m(x).detach().numpy())


def test_optimizer_state_dict_round_trip():
    p = nn.Parameter(minigrad.ones(3))
    opt = minigrad.optim.Adam([p], lr=0.1, betas=(0.8, 0.9), amsgrad=True)
    (p * p).sum().backward()
    opt.step()
    sd = round_trip(opt.state_dict())
    assert list(sd["state"]) == [0] and isinstance(list(sd["state"])[0], int)
    assert sd["param_groups"][0]["betas"] == (0.8, 0.9) and sd["param_groups"][0]["params"] == [0]
    assert set(sd["state"][0]) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert sd["state"][0]["step"].item() == 1.0


def test_nested_values_round_trip():
    obj = {"epoch": 3, "loss": 0.25, "name": "run", "flags": [True, None], "shape": (2, 3),
           "arr": np.arange(4, dtype=np.int32), "t": minigrad.tensor([1, 2], dtype=minigrad.int64),
           "nan": float("nan"), 5: "int key"}
    out = round_trip(obj)
    assert out["epoch"] == 3 and out["loss"] == 0.25 and out["name"] == "run" and out[5] == "int key"
    assert out["flags"] == [True, None] and out["shape"] == (2, 3) and np.isnan(out["nan"])
    assert out["arr"].dtype == np.int32 and out["t"].dtype == minigrad.int64 and out["t"].tolist() == [1, 2]
    p = round_trip({"p": nn.Parameter(minigrad.zeros(2))})["p"]
    assert p.requires_grad


def test_unsupported_objects_are_refused():
    with pytest.raises(TypeError, match="minigrad.save can store"):
        minigrad.save({"model": nn.Linear(1, 1)}, io.BytesIO())


class Boom:
    def __reduce__(self):
        return (exec, ("raise SystemExit('pickle code ran')",))


def test_load_never_unpickles(tmp_path):
    path = tmp_path / "evil.pt"
    np.savez(open(path, "wb"), structure=np.array([Boom()], dtype=object))
    with pytest.raises(ValueError):
        minigrad.load(path)
    path.write_bytes(pickle.dumps(Boom()))
    with pytest.raises(Exception) as e:
        minigrad.load(path)
    assert not isinstance(e.value, SystemExit)
