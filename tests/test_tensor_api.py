"""The Tensor API of issue 2 against real PyTorch: metadata, conversions, copies, Python protocols, repr and
devices. Every expectation is what torch does on the same input, computed in the test."""
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad
from strategies import all_dtypes, arrays, shapes

SETTINGS = settings(max_examples=30, deadline=None)


def both(data, **kw):
    """The same tensor in minigrad and torch."""
    return minigrad.tensor(data, **kw), torch.tensor(data, **{k: getattr(torch, v.name) if k == "dtype" else v
                                                            for k, v in kw.items()})


def as_torch_text(text):
    """minigrad's text with the library name swapped, for comparing against torch's."""
    return text.replace("minigrad.", "torch.")


def _data(shape, dtype):
    """Deterministic data of any dtype and shape (values chosen to be exact in every dtype)."""
    vals = (np.arange(int(np.prod(shape))) % 5).reshape(shape)
    return vals.astype(dtype) if dtype != "bool" else (vals % 2).astype(bool)


# ---- metadata ---------------------------------------------------------------------------------------------
@SETTINGS
@given(shape=shapes(min_side=0), dtype=all_dtypes)
def test_metadata(shape, dtype):
    """shape, size(), size(d), dim(), ndim, numel(), dtype, device, is_leaf and the Size type."""
    m, t = both(_data(shape, dtype))
    assert m.shape == t.shape and tuple(m.shape) == tuple(t.shape) and isinstance(m.shape, tuple)
    assert m.size() == t.size() and repr(m.size()) == repr(t.size()).replace("torch.", "minigrad.")
    for d in range(-len(shape), len(shape)):
        assert m.size(d) == t.size(d) and m.shape[d] == t.shape[d]
    assert m.dim() == t.dim() == m.ndim == t.ndim
    assert m.numel() == t.numel() == m.shape.numel()
    assert as_torch_text(repr(m.dtype)) == repr(t.dtype) and as_torch_text(str(m.dtype)) == str(t.dtype)
    assert str(m.device) == str(t.device) == "cpu" and m.device.type == "cpu" and m.device == "cpu"
    assert repr(m.device) == repr(t.device)
    assert m.is_leaf and not m.requires_grad and m.grad is None and m.grad_fn is None
    assert m.is_floating_point() == t.is_floating_point()


def test_size_out_of_range():
    """size(dim) with a bad dim: torch's IndexError text."""
    m, t = both([[1, 2, 3]])
    with pytest.raises(IndexError) as te:
        t.size(2)
    with pytest.raises(IndexError) as me:
        m.size(2)
    assert str(me.value) == str(te.value)


# ---- conversions --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("data", [3, -2.5, True, [7], [[1.5]], np.array([2], dtype=np.uint8),
                                  np.array(4.25, dtype=np.float64), np.array([False])], ids=repr)
def test_item_and_number_protocols(data):
    """item() gives the Python number type torch gives; int()/float()/bool() work on one-element tensors."""
    m, t = both(data)
    assert m.item() == t.item() and type(m.item()) is type(t.item())
    assert int(m) == int(t) and float(m) == float(t) and bool(m) == bool(t)


def test_item_and_bool_need_one_element():
    """item()/bool() of a many-element tensor: torch's errors."""
    m, t = both([1.0, 2.0])
    for fn, err in ((lambda x: x.item(), RuntimeError), (bool, RuntimeError)):
        with pytest.raises(err) as te:
            fn(t)
        with pytest.raises(err) as me:
            fn(m)
        assert str(me.value) == str(te.value)


def test_index_protocol_and_classes_lookup():
    """One-element integer tensors work as list indices (`classes[t]`) and in range(); floats do not."""
    classes = ["T-shirt", "Trouser", "Pullover", "Dress"]
    for m, t in (both(2), both([3]), both(1, dtype=minigrad.int32), both(np.array(0, dtype=np.uint8))):
        assert classes[m] == classes[t] and list(range(m)) == list(range(t)) and [0, 1, 2, 3, 4][m:] == \
            [0, 1, 2, 3, 4][t:]
        assert f"{classes[m.argmax()]}" == classes[t.argmax()]
    for bad in (both(2.0), both([1, 2])):
        with pytest.raises(TypeError):
            classes[bad[1]]
        with pytest.raises(TypeError):
            classes[bad[0]]


@SETTINGS
@given(shape=shapes(), dtype=all_dtypes)
def test_tolist_and_numpy(shape, dtype):
    """tolist() gives torch's nested lists; numpy() shares memory with the tensor."""
    m, t = both(_data(shape, dtype))
    assert m.tolist() == t.tolist() and type(m.tolist()) is type(t.tolist())
    a = m.numpy()
    assert a.dtype == t.numpy().dtype and a.shape == tuple(shape)
    np.testing.assert_array_equal(a, t.numpy())
    if a.size:
        a.reshape(-1)[0] = 1
        assert m.reshape(-1)[0].item() == 1  # writes through, as torch's numpy() does


def test_numpy_of_tensor_requiring_grad():
    """numpy() refuses a tensor that requires grad, with torch's message; detach().numpy() works."""
    m, t = both([1.0, 2.0])
    m.requires_grad_(), t.requires_grad_()
    with pytest.raises(RuntimeError) as te:
        t.numpy()
    with pytest.raises(RuntimeError) as me:
        m.numpy()
    assert str(me.value) == str(te.value)
    np.testing.assert_array_equal(m.detach().numpy(), t.detach().numpy())


def test_from_numpy_shares_memory():
    """from_numpy keeps the dtype and shares memory both ways."""
    a = np.arange(6, dtype=np.float64).reshape(2, 3)
    m, t = minigrad.from_numpy(a), torch.from_numpy(a.copy())
    assert repr(m.dtype) == repr(t.dtype).replace("torch.", "minigrad.") and m.shape == t.shape
    a[0, 0] = 9
    assert m[0, 0].item() == 9
    m.numpy()[1, 1] = -1
    assert a[1, 1] == -1


@pytest.mark.parametrize("conv", ["float", "long", "double", "int", "bool", "to_float64", "to_int64_kw",
                                  "to_cpu", "to_float32_cpu", "type_float64", "to_other_tensor"])
@pytest.mark.parametrize("src", ["float32", "float64", "int64", "uint8", "bool"])
def test_dtype_conversions(conv, src):
    """float()/long()/double()/int()/bool()/to(dtype)/to('cpu')/type(dtype) give torch's dtype and values."""
    fns = {"float": lambda L, x: x.float(), "long": lambda L, x: x.long(), "double": lambda L, x: x.double(),
           "int": lambda L, x: x.int(), "bool": lambda L, x: x.bool(), "to_float64": lambda L, x: x.to(L.float64),
           "to_int64_kw": lambda L, x: x.to(dtype=L.int64), "to_cpu": lambda L, x: x.to("cpu"),
           "to_float32_cpu": lambda L, x: x.to("cpu", L.float32), "type_float64": lambda L, x: x.type(L.float64),
           "to_other_tensor": lambda L, x: x.to(L.zeros(1, dtype=L.float64))}
    data = np.array([0, 1.7, -2.2, 3.5]) if src.startswith("float") else np.array([0, 1, 2, 1])
    m, t = both(data.astype(src))
    got, want = fns[conv](minigrad, m), fns[conv](torch, t)
    assert repr(got.dtype) == repr(want.dtype).replace("torch.", "minigrad.")
    assert got.tolist() == pytest.approx(want.tolist())


def test_to_same_dtype_returns_self():
    """to() with nothing to change returns the tensor itself, as torch does."""
    m, t = both([1.0, 2.0])
    assert (m.to(minigrad.float32) is m) == (t.to(torch.float32) is t) is True
    assert (m.to("cpu") is m) == (t.to("cpu") is t) is True


# ---- copies and the graph ----------------------------------------------------------------------------------
def test_detach_shares_data_and_leaves_graph():
    """detach() shares storage, has no grad_fn and does not require grad."""
    m, t = both([1.0, 2.0], requires_grad=True)
    for x, L in ((m, minigrad), (t, torch)):
        y = (x * 2).detach()
        assert not y.requires_grad and y.grad_fn is None and y.is_leaf
        d = x.detach()
        with L.no_grad():
            d[0] = 5.0
        assert x[0].item() == 5.0  # shared storage


def test_clone_copies_and_passes_gradient():
    """clone() copies the data and passes the gradient straight through."""
    for L in (minigrad, torch):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        c = x.clone()
        assert c.grad_fn is not None and c.requires_grad and not c.is_leaf
        (c * L.tensor([3.0, 4.0])).sum().backward()
        assert x.grad.tolist() == [3.0, 4.0]
        d = L.tensor([1.0, 2.0]).clone()
        d[0] = 7.0
        assert d.tolist() == [7.0, 2.0]


def test_contiguous():
    """contiguous() of a transposed tensor has the same values (and gradient), in C order."""
    data = np.arange(6.0).reshape(2, 3)
    for L in (minigrad, torch):
        x = L.tensor(data, requires_grad=True)
        y = x.T.contiguous()
        assert y.tolist() == data.T.tolist()
        (y * L.tensor(data.T)).sum().backward()
        assert x.grad.tolist() == data.tolist()
    assert minigrad.tensor(data).T.contiguous().numpy().flags.c_contiguous


def test_requires_grad_():
    """requires_grad_() sets the flag in place and returns the tensor; non-leaves cannot turn it off."""
    for L in (minigrad, torch):
        x = L.tensor([1.0, 2.0])
        assert x.requires_grad_() is x and x.requires_grad and x.is_leaf
        x.requires_grad_(False)
        assert not x.requires_grad
        y = L.tensor([1.0], requires_grad=True) * 2
        with pytest.raises(RuntimeError, match="you can only change requires_grad flags of leaf variables"):
            y.requires_grad_(False)


# ---- Python protocols ----------------------------------------------------------------------------------------
@SETTINGS
@given(shape=shapes(min_dims=1, min_side=0), dtype=all_dtypes)
def test_len_and_iteration(shape, dtype):
    """len() is the size of dim 0; iterating yields the sub-tensors along dim 0."""
    m, t = both(_data(shape, dtype))
    assert len(m) == len(t)
    rows_m, rows_t = list(m), list(t)
    assert len(rows_m) == len(rows_t)
    for a, b in zip(rows_m, rows_t):
        assert isinstance(a, minigrad.Tensor) and a.tolist() == b.tolist() and tuple(a.shape) == tuple(b.shape)


def test_len_and_iter_of_0d_tensor():
    """len()/iter() of a 0-d tensor: torch's TypeErrors."""
    m, t = both(3.0)
    for fn in (len, iter):
        with pytest.raises(TypeError) as te:
            fn(t)
        with pytest.raises(TypeError) as me:
            fn(m)
        assert str(me.value) == str(te.value)


def test_iteration_is_differentiable():
    """Rows produced by iteration stay in the graph."""
    for L in (minigrad, torch):
        x = L.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        sum(r.sum() * (i + 1) for i, r in enumerate(x)).backward()
        assert x.grad.tolist() == [[1.0, 1.0], [2.0, 2.0]]


# ---- repr --------------------------------------------------------------------------------------------------
REPR_CASES = {
    "floats": lambda L: L.tensor([1.0, 2.0]),
    "fractions": lambda L: L.tensor([1.5, -2.25, 3.125]),
    "0-d float": lambda L: L.tensor(3.5),
    "0-d int": lambda L: L.tensor(3),
    "0-d bool": lambda L: L.tensor(True),
    "ints": lambda L: L.tensor([1, -2, 3]),
    "bools": lambda L: L.tensor([True, False]),
    "2-d": lambda L: L.tensor([[1.0, 2.5], [3.0, 4.0]]),
    "3-d": lambda L: L.arange(12).reshape(2, 3, 2),
    "float64": lambda L: L.tensor([1.0, 2.0], dtype=L.float64),
    "int32": lambda L: L.tensor([1, 2], dtype=L.int32),
    "uint8": lambda L: L.tensor([1, 2], dtype=L.uint8),
    "requires_grad": lambda L: L.tensor([1.0, 2.0], requires_grad=True),
    "grad_fn add": lambda L: L.tensor([1.0, 2.0], requires_grad=True) + 1,
    "grad_fn mul": lambda L: L.tensor([1.0, 2.0], requires_grad=True) * 2,
    "grad_fn sum": lambda L: L.tensor([1.0, 2.0], requires_grad=True).sum(),
    "grad_fn pow": lambda L: L.tensor([1.0, 2.0], requires_grad=True).pow(2),
    "grad_fn exp": lambda L: L.tensor([1.0, 2.0], requires_grad=True).exp(),
    "grad_fn neg": lambda L: -L.tensor([1.0, 2.0], requires_grad=True),
    "grad_fn float64": lambda L: L.tensor([1.0, 2.0], dtype=L.float64, requires_grad=True) * 2,
    "empty": lambda L: L.tensor([]),
    "empty 2-d": lambda L: L.zeros(0, 3),
    "zeros": lambda L: L.zeros(2, 2),
    "small": lambda L: L.tensor([1e-5, 1.0]),
    "large": lambda L: L.tensor([1e9, 1.0]),
    "negative zero mix": lambda L: L.tensor([-1.0, 0.5]),
    "nan inf": lambda L: L.tensor([float("nan"), 1.5, -2.0]),
    "long row wraps": lambda L: L.arange(30.0) / 7,
    "many rows": lambda L: L.arange(40.0).reshape(20, 2) / 3,
    "linspace": lambda L: L.linspace(-3.14159, 3.14159, 5),
    "detached": lambda L: (L.tensor([1.0], requires_grad=True) * 2).detach(),
}

REPR_CASES.update({
    "grad_fn mean": lambda L: L.tensor([1.0, 2.0], requires_grad=True).mean(),
    "summarized ints": lambda L: L.arange(2000),
    "summarized 2-d": lambda L: L.arange(3000).reshape(100, 30),
    "sci by ratio": lambda L: L.tensor([1000.5, 0.5]),
    "sci integral": lambda L: L.arange(2000.0),
    "nan with integral floats": lambda L: L.tensor([float("nan"), float("inf"), 1.0]),
})


@pytest.mark.parametrize("case", list(REPR_CASES))
def test_repr_matches_torch(case):
    """repr(t) is torch's text with 'torch.' replaced by 'minigrad.'."""
    make = REPR_CASES[case]
    assert as_torch_text(repr(make(minigrad))) == repr(make(torch))


@SETTINGS
@given(shape=shapes(max_dims=3), data=st.data())
def test_repr_of_moderate_floats_matches_torch(shape, data):
    """Random float32 values of moderate size (max/min < 1000) print exactly as torch prints them."""
    x = data.draw(arrays(shape, "float32", -99, 99, avoid=(0.0,), gap=0.1))
    x = np.round(x, 3).astype(np.float32)  # avoid values on a rounding boundary of the 4-digit format
    assert as_torch_text(repr(minigrad.tensor(x))) == repr(torch.tensor(x))


def test_print_and_str():
    """str() and print() use the same text as repr()."""
    m, t = both([[1.0, 2.0]])
    assert as_torch_text(str(m)) == str(t)


# ---- devices -----------------------------------------------------------------------------------------------
def test_cpu_device():
    """minigrad.device('cpu') compares and prints like torch's; tensors accept device='cpu' everywhere."""
    d, td = minigrad.device("cpu"), torch.device("cpu")
    assert repr(d) == repr(td) and str(d) == str(td) and d.type == td.type
    assert minigrad.device(d) == d and d == "cpu"
    x = minigrad.tensor([1.0], device="cpu")
    assert x.device == d and x.to(d) is x and x.cpu() is x and not x.is_cuda
    minigrad.set_default_device("cpu")


def test_cuda_is_unavailable():
    """cuda.is_available() is False and device_count() is 0, so `'cuda' if ... else 'cpu'` picks the CPU."""
    assert minigrad.cuda.is_available() is False and minigrad.cuda.device_count() == 0
    dev = "cuda" if minigrad.cuda.is_available() else "cpu"
    assert minigrad.zeros(2, device=dev).device == "cpu"


@pytest.mark.parametrize("ask", [
    lambda: minigrad.device("cuda"), lambda: minigrad.device("cuda:0"), lambda: minigrad.zeros(2, device="cuda"),
    lambda: minigrad.tensor([1.0], device="cuda"), lambda: minigrad.tensor([1.0]).to("cuda"),
    lambda: minigrad.ones(2, device=minigrad.device("cpu")).to("cuda:1"), lambda: minigrad.set_default_device("cuda"),
    lambda: minigrad.randn(2, device="mps"),
], ids=["device", "device:0", "zeros", "tensor", "to", "to:1", "default", "mps"])
def test_cuda_request_raises_clear_error(ask):
    """Asking for any non-CPU device says minigrad runs on the CPU."""
    with pytest.raises(RuntimeError, match="minigrad runs on the CPU"):
        ask()
