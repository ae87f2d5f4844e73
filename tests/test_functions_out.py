"""torch's out= on the top-level function forms: the result lands in the given tensor (same object, its dtype)."""
import numpy as np
import pytest
import torch

import minigrad


@pytest.mark.parametrize("name, args, out", [("matmul", [(2, 3), (3, 2)], ((2, 2), "float32")),
                                             ("mul", [(2, 3), (2, 3)], ((2, 3), "float64")),
                                             ("add", [(3,), (2, 3)], ((0,), "float32")),
                                             ("exp", [(4,)], ((4,), "float32"))])
def test_out_receives_the_result_like_torch(name, args, out):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in args]
    got = {}
    for lib in (minigrad, torch):
        o = lib.zeros(*out[0], dtype=getattr(lib, out[1]))
        r = getattr(lib, name)(*(lib.tensor(a) for a in arrays), out=o)
        assert r is o
        got[lib] = (o.numpy(), str(o.dtype).split(".")[-1], o.shape)
    np.testing.assert_allclose(got[minigrad][0], got[torch][0], rtol=1e-6)
    assert got[minigrad][1:] == (got[torch][1], tuple(got[torch][2]))
