"""Channel dropout (nn/dropout.py): whole channels zeroed, survivors scaled by 1/(1-p), identity in eval, gradients
through the same mask, torch's warnings, errors and printing."""
import warnings

import numpy as np
import pytest
import torch

import minigrad
import minigrad.nn as nn
import minigrad.nn.functional as F


@pytest.mark.parametrize("fn,shape,channel_axes", [
    ("dropout1d", (40, 30, 7), 2), ("dropout1d", (30, 7), 1), ("dropout2d", (40, 30, 5, 6), 2),
    ("dropout3d", (40, 30, 2, 3, 4), 2), ("dropout3d", (30, 2, 3, 4), 1)])
def test_whole_channels_and_scaling(fn, shape, channel_axes):
    minigrad.manual_seed(0)
    x = minigrad.ones(*shape, dtype=minigrad.float64, requires_grad=True)
    out = getattr(F, fn)(x, p=0.25)
    arr = out.detach().numpy().reshape(shape[:channel_axes] + (-1,))
    assert set(np.unique(arr)) <= {0.0, 1 / 0.75}
    assert (arr.min(-1) == arr.max(-1)).all()  # a channel is kept or dropped as a whole
    assert abs((arr[..., 0] == 0).mean() - 0.25) < 0.05
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), out.detach().numpy())  # d(x * mask)/dx = mask
    np.testing.assert_array_equal(getattr(F, fn)(x, 0.25, training=False).detach().numpy(), x.detach().numpy())
    assert getattr(F, fn)(x, 1.0).detach().numpy().max() == 0


def test_modules_and_inplace():
    for name in ("Dropout1d", "Dropout2d", "Dropout3d"):
        assert repr(getattr(nn, name)(0.3)) == repr(getattr(torch.nn, name)(0.3))
        assert repr(getattr(nn, name)(0.3, True)) == repr(getattr(torch.nn, name)(0.3, True))
    m = nn.Dropout2d(0.5)
    x = minigrad.ones(4, 8, 2, 2)
    assert m.eval()(x) is x
    y = minigrad.ones(4, 8, 2, 2)
    assert F.dropout2d(y, 0.5, inplace=True) is y and set(np.unique(y.numpy())) <= {0.0, 2.0}


def torch_error(fn):
    with pytest.raises(Exception) as e:
        fn()
    return type(e.value), str(e.value)


@pytest.mark.parametrize("call", [lambda lib: lib.nn.functional.dropout1d(lib.ones(2, 3, 4, 5)),
                                  lambda lib: lib.nn.functional.dropout2d(lib.ones(2, 3, 4, 5), p=1.5),
                                  lambda lib: lib.nn.Dropout2d(-0.1)])
def test_errors(call):
    assert torch_error(lambda: call(minigrad)) == torch_error(lambda: call(torch))


@pytest.mark.parametrize("fn,shape", [("dropout2d", (2, 3, 4)), ("dropout2d", (3, 4)), ("dropout2d", (2, 3, 4, 5, 6)),
                                      ("dropout3d", (2, 3)), ("dropout2d", (2, 3, 4, 5))])
def test_warnings_match_torch(fn, shape):
    with warnings.catch_warnings(record=True) as mw:
        warnings.simplefilter("always")
        getattr(F, fn)(minigrad.ones(*shape))
    with warnings.catch_warnings(record=True) as tw:
        warnings.simplefilter("always")
        getattr(torch.nn.functional, fn)(torch.ones(*shape))
    assert [(w.category, str(w.message)) for w in mw] == [(w.category, str(w.message)) for w in tw]


@pytest.mark.parametrize("lib", [minigrad, torch], ids=["minigrad", "torch"])
def test_inplace_relu_and_dropout_write_into_their_input(lib):
    x = lib.tensor([-1.0, 2.0, -3.0])
    assert lib.nn.functional.relu(x, inplace=True) is x and x.tolist() == [0.0, 2.0, 0.0]
    y = lib.tensor([-1.0, 2.0])
    lib.nn.ReLU(inplace=True)(y)
    assert y.tolist() == [0.0, 2.0]
    z = lib.ones(2000)
    lib.nn.functional.dropout(z, 0.5, inplace=True)
    assert set(z.unique().tolist()) == {0.0, 2.0}
