"""dtype behaviour against real PyTorch: type promotion, true division, comparisons, the default dtype and
the dtypes/shapes creation functions infer. Every expected dtype is what torch computes in the test."""
import itertools

import numpy as np
import pytest
import torch
from hypothesis import given, settings

import minigrad
from strategies import all_dtypes, shapes

# x / 0 with integer/bool operands: torch is silent, numpy warns (reported to the lead; not a dtype question)
pytestmark = pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning", "ignore:invalid value:RuntimeWarning")

DTYPES = ("bool", "uint8", "int32", "int64", "float32", "float64")
SCALARS = (True, 3, 2.5, np.float64(2.5), np.int64(3))
OPS = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
    "**": lambda a, b: a ** b, "maximum": lambda a, b: a.maximum(b) if hasattr(a, "maximum") else b.maximum(a),
    "==": lambda a, b: a == b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b, "!=": lambda a, b: a != b,
}


def name(dtype):
    """'float32' for minigrad.float32 and torch.float32 alike."""
    return str(dtype).split(".")[-1]


def both(fn):
    """fn(lib) in minigrad and torch: (minigrad result, torch result), or the exception torch raised."""
    try:
        want = fn(torch)
    except Exception as e:  # torch refuses this combination: minigrad must refuse it too
        with pytest.raises(Exception):
            fn(minigrad)
        return None, e
    return fn(minigrad), want


def _tensor(lib, dtype, zero_d):
    """A small tensor of dtype (values valid for every op here, also for uint8 and bool)."""
    vals = [True, False] if dtype == "bool" else [3, 2]
    return lib.tensor(vals[0] if zero_d else vals, dtype=getattr(lib, dtype))


def _mismatches(op, pairs):
    """Every (description, minigrad dtype, torch dtype) where the result dtypes of op differ."""
    bad = []
    for desc, make in pairs:
        try:
            want = make(torch)
        except Exception:  # torch does not define this combination (e.g. bool - bool)
            try:
                make(minigrad)
                bad.append((desc, "no error", "error"))
            except Exception:
                pass
            continue
        try:
            got = make(minigrad)
        except Exception as e:
            bad.append((desc, f"{type(e).__name__}: {e}", name(want.dtype)))
            continue
        if name(got.dtype) != name(want.dtype) or tuple(got.shape) != tuple(want.shape):
            bad.append((desc, f"{name(got.dtype)}{tuple(got.shape)}", f"{name(want.dtype)}{tuple(want.shape)}"))
        elif not np.allclose(got.numpy().astype(np.float64), want.numpy().astype(np.float64), equal_nan=True):
            bad.append((desc, got.tolist(), want.tolist()))
    return bad


@pytest.mark.parametrize("op", OPS)
def test_tensor_tensor_promotion(op):
    """Every dtype pair, as n-d/n-d, n-d/0-d, 0-d/n-d and 0-d/0-d tensors: torch's result dtype and values."""
    pairs = []
    for da, db, za, zb in itertools.product(DTYPES, DTYPES, (False, True), (False, True)):
        if op in ("-", "**") and "bool" in (da, db):  # see test_bool_subtraction_and_power
            continue
        desc = f"{'0-d ' if za else ''}{da} {op} {'0-d ' if zb else ''}{db}"
        pairs.append((desc, lambda L, da=da, db=db, za=za, zb=zb: OPS[op](_tensor(L, da, za), _tensor(L, db, zb))))
    assert _mismatches(op, pairs) == []


@pytest.mark.parametrize("op", [o for o in OPS if o != "maximum"])
def test_tensor_scalar_promotion(op):
    """Tensor op Python/numpy scalar and the reflected form: a scalar never widens the tensor's category."""
    pairs = []
    for d, s, z in itertools.product(DTYPES, SCALARS, (False, True)):
        if op in ("-", "**") and d == "bool" or op == "-" and s is True:  # see test_bool_subtraction_and_power
            continue
        desc = f"{'0-d ' if z else ''}{d} {op} {s!r}"
        pairs.append((desc, lambda L, d=d, s=s, z=z: OPS[op](_tensor(L, d, z), s)))
        if op == "**" and z and d != "float32" and d != "float64":  # see test_rpow_scalar_base_is_a_scalar
            continue
        if op != "maximum":
            pairs.append((f"{s!r} {op} {desc}", lambda L, d=d, s=s, z=z: OPS[op](s, _tensor(L, d, z))))
    assert _mismatches(op, pairs) == []


def test_promotion_rules_named_in_issue():
    """The headline rules, spelled out (and checked against torch)."""
    cases = {
        "int tensor * python float": (lambda L: L.tensor([1, 2]) * 2.5, "float32"),
        "float32 * python int": (lambda L: L.tensor([1.0, 2.0]) * 3, "float32"),
        "float32 * python float": (lambda L: L.tensor([1.0, 2.0]) * 2.5, "float32"),
        "float32 * numpy float64 scalar": (lambda L: L.tensor([1.0, 2.0]) * np.float64(2.5), "float32"),
        "float32 + float64": (lambda L: L.tensor([1.0]) + L.tensor([1.0], dtype=L.float64), "float64"),
        "float32 n-d * float64 0-d": (lambda L: L.tensor([1.0]) * L.tensor(2.0, dtype=L.float64), "float32"),
        "float32 0-d * float64 0-d": (lambda L: L.tensor(1.0) * L.tensor(2.0, dtype=L.float64), "float64"),
        "int64 n-d * float64 0-d": (lambda L: L.tensor([1]) * L.tensor(2.0, dtype=L.float64), "float64"),
        "uint8 n-d + int64 0-d": (lambda L: L.tensor([1], dtype=L.uint8) + L.tensor(2), "uint8"),
    }
    for what, (fn, expected) in cases.items():
        got, want = both(fn)
        assert name(want.dtype) == expected, f"{what}: torch gives {want.dtype}"
        assert name(got.dtype) == expected, f"{what}: minigrad gives {got.dtype}, torch {want.dtype}"


@pytest.mark.parametrize("da,db", [("int64", "int64"), ("int32", "int64"), ("uint8", "uint8"), ("bool", "int64"),
                                   ("int64", "float64")])
@pytest.mark.parametrize("default", ["float32", "float64"])
def test_true_division_of_integers(da, db, default):
    """int / int is true division into the default float dtype (or the float operand's dtype)."""
    def div(L):
        L.set_default_dtype(getattr(L, default))
        try:
            a = L.tensor([7, 1, 0] if da != "bool" else [True, True, False], dtype=getattr(L, da))
            return a / L.tensor([2, 3, 4], dtype=getattr(L, db)), a / 2, 7 / L.tensor([2, 4], dtype=getattr(L, db))
        finally:
            L.set_default_dtype(L.float32)
    for got, want in zip(*both(div)):
        assert name(got.dtype) == name(want.dtype)
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-7)


@given(shape=shapes(), da=all_dtypes, db=all_dtypes)
@settings(max_examples=40, deadline=None)
def test_comparisons_give_bool(shape, da, db):
    """== != < <= > >= and eq/ne/lt/le/gt/ge give bool tensors with torch's values for any dtype pair."""
    rng = np.random.default_rng(len(shape) + 7 * DTYPES.index(da))
    a, b = rng.integers(0, 3, shape), rng.integers(0, 3, shape)
    for op in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "eq", "ne", "lt", "le", "gt", "ge"):
        got, want = both(lambda L: getattr(L.tensor(a).to(getattr(L, da)), op)(L.tensor(b).to(getattr(L, db))))
        assert name(got.dtype) == "bool" == name(want.dtype)
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    got, want = both(lambda L: L.tensor(a).to(getattr(L, da)) > 1)
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_set_default_dtype():
    """set_default_dtype changes what Python floats and float factories produce, and nothing else."""
    def make(L):
        L.set_default_dtype(L.float64)
        try:
            return (L.get_default_dtype(), L.tensor([1.5]).dtype, L.tensor(2.0).dtype, L.tensor([1, 2]).dtype,
                    L.zeros(2).dtype, L.ones(()).dtype, L.rand(2).dtype, L.randn(()).dtype, L.arange(0.0, 1.0).dtype,
                    L.arange(3).dtype, L.linspace(0, 1, 3).dtype, L.eye(2).dtype, L.full((2,), 1.5).dtype,
                    (L.tensor([1, 2]) * 0.5).dtype, (L.tensor([1, 2]) / 2).dtype,
                    (L.tensor([1.0], dtype=L.float32) * 2.5).dtype, L.tensor([1, 2]).float().dtype)
        finally:
            L.set_default_dtype(L.float32)
    got, want = both(make)
    assert [name(d) for d in got] == [name(d) for d in want]
    assert minigrad.get_default_dtype() is minigrad.float32 and minigrad.tensor([1.5]).dtype is minigrad.float32


def test_set_default_dtype_rejects_non_float():
    """Only floating dtypes can be the default, as in torch."""
    for bad in ("int64", "bool"):
        with pytest.raises(TypeError):
            torch.set_default_dtype(getattr(torch, bad))
        with pytest.raises(TypeError):
            minigrad.set_default_dtype(getattr(minigrad, bad))
    assert minigrad.get_default_dtype() is minigrad.float32


TENSOR_DATA = [1, 2.5, True, [1, 2], [1.0, 2], [[True, False]], [[1, 2], [3, 4]], [], [[]], [1, 2.5, True],
               np.array([1.0, 2.0]), np.array([1, 2], dtype=np.int32), np.array([3], dtype=np.uint8),
               np.array(2.0, dtype=np.float32), np.int64(4), np.array([True]), [np.float32(1.5)]]


@pytest.mark.parametrize("data", TENSOR_DATA, ids=repr)
def test_tensor_dtype_inference(data):
    """tensor(data) infers torch's dtype and shape from Python lists/scalars and keeps numpy dtypes."""
    got, want = both(lambda L: L.tensor(data))
    assert name(got.dtype) == name(want.dtype) and tuple(got.shape) == tuple(want.shape)
    np.testing.assert_array_equal(got.numpy(), want.numpy())
    got, want = both(lambda L: L.tensor(data, dtype=L.float64))
    assert name(got.dtype) == "float64" == name(want.dtype)


SIZES = [(), (0,), (1,), (3,), (2, 3), (1, 1, 2)]
FACTORIES = {
    "zeros": lambda L, s, **k: L.zeros(s, **k), "ones": lambda L, s, **k: L.ones(s, **k),
    "empty": lambda L, s, **k: L.empty(s, **k), "rand": lambda L, s, **k: L.rand(s, **k),
    "randn": lambda L, s, **k: L.randn(s, **k), "full_int": lambda L, s, **k: L.full(s, 7, **k),
    "full_float": lambda L, s, **k: L.full(s, 1.5, **k), "full_bool": lambda L, s, **k: L.full(s, True, **k),
    "randint": lambda L, s, **k: L.randint(0, 5, s, **k), "randint_kw": lambda L, s, **k: L.randint(5, size=s, **k),
    "zeros_varargs": lambda L, s, **k: L.zeros(*s, **k), "ones_list": lambda L, s, **k: L.ones(list(s), **k),
    "randn_varargs": lambda L, s, **k: L.randn(*s, **k),
    "zeros_like": lambda L, s, **k: L.zeros_like(L.ones(s, dtype=L.float64), **k),
    "ones_like": lambda L, s, **k: L.ones_like(L.zeros(s, dtype=L.int32), **k),
    "full_like": lambda L, s, **k: L.full_like(L.zeros(s, dtype=L.int64), 3, **k),
    "empty_like": lambda L, s, **k: L.empty_like(L.zeros(s, dtype=L.uint8), **k),
    "rand_like": lambda L, s, **k: L.rand_like(L.zeros(s, dtype=L.float64), **k),
    "randn_like": lambda L, s, **k: L.randn_like(L.zeros(s), **k),
}


@pytest.mark.parametrize("size", SIZES, ids=str)
@pytest.mark.parametrize("factory", FACTORIES)
@pytest.mark.parametrize("dtype", [None, "float64", "int32"])
def test_factory_dtype_and_shape(factory, size, dtype):
    """Factories give torch's shape and inferred dtype (including scalar shapes ()), and honour dtype=."""
    if not size and factory.endswith("varargs"):
        pytest.skip("torch needs at least one size argument")
    if dtype == "int32" and factory in ("rand", "randn", "randn_varargs", "rand_like", "randn_like"):
        pytest.skip("torch has no integer normal/uniform samples")
    kw = lambda L: {} if dtype is None else {"dtype": getattr(L, dtype)}  # noqa: E731
    got, want = both(lambda L: FACTORIES[factory](L, size, **kw(L)))
    assert tuple(got.shape) == tuple(want.shape) and name(got.dtype) == name(want.dtype)
    if factory.startswith(("zeros", "ones", "full")):
        np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize("factory", ["zeros", "ones", "rand", "randn", "full_float", "zeros_like", "ones_like",
                                     "full_like", "empty_like", "rand_like",
                                     "randn_like"])
def test_factory_requires_grad_and_device(factory):
    """requires_grad=True makes a leaf; device='cpu' is accepted; an integer dtype cannot require grad."""
    got, want = both(lambda L: FACTORIES[factory](L, (2,), requires_grad=True, device="cpu"))
    if isinstance(want, Exception):  # an integer *_like source: torch refuses, and both() checked minigrad does
        return
    assert got.requires_grad and want.requires_grad and got.is_leaf and got.grad_fn is None
    with pytest.raises(RuntimeError, match="floating point"):
        torch.zeros(2, dtype=torch.int64, requires_grad=True)
    with pytest.raises(RuntimeError, match="floating point"):
        minigrad.zeros(2, dtype=minigrad.int64, requires_grad=True)


RANGES = [
    ("arange", (5,), {}), ("arange", (1, 7, 2), {}), ("arange", (0.0, 1.0, 0.25), {}), ("arange", (0, 1, 0.3), {}),
    ("arange", (5, 1, -1), {}), ("arange", (0,), {}), ("arange", (3,), {"dtype": "float64"}),
    ("arange", (-1.5, 2), {}), ("linspace", (0, 1, 5), {}), ("linspace", (-3, 3, 7), {}),
    ("linspace", (2, 2, 3), {}), ("linspace", (-np.pi, np.pi, 2000), {}),
    ("linspace", (0, 10, 4), {"dtype": "float64"}), ("eye", (3,), {}), ("eye", (2, 4), {}),
    ("eye", (3,), {"dtype": "int64"}),
]


@pytest.mark.parametrize("fn,args,kw", RANGES, ids=[f"{f}{a}{k or ''}" for f, a, k in RANGES])
def test_ranges(fn, args, kw):
    """arange/linspace/eye: dtype inference (int unless a float is involved), shape and values like torch."""
    got, want = both(lambda L: getattr(L, fn)(*args, **{k: getattr(L, v) for k, v in kw.items()}))
    assert name(got.dtype) == name(want.dtype) and tuple(got.shape) == tuple(want.shape)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6 if name(want.dtype) == "float32" else 1e-12,
                               atol=1e-6)


def test_randperm_and_randint_ranges():
    """randperm is a permutation of 0..n-1 (int64); randint stays in [low, high)."""
    p = minigrad.randperm(10)
    assert p.dtype is minigrad.int64 and sorted(p.tolist()) == list(range(10))
    r = minigrad.randint(-2, 3, (200,))
    assert r.dtype is minigrad.int64 and set(r.tolist()) <= set(range(-2, 3))


def test_dtype_objects():
    """dtype objects print like torch's, know their category and width, and the aliases point at them."""
    for d in DTYPES:
        assert repr(getattr(minigrad, d)) == repr(getattr(torch, d)).replace("torch.", "minigrad.")
        assert getattr(minigrad, d).is_floating_point == getattr(torch, d).is_floating_point
        assert getattr(minigrad, d).itemsize == getattr(torch, d).itemsize
    assert minigrad.float is minigrad.float32 and minigrad.double is minigrad.float64
    assert minigrad.long is minigrad.int64 and minigrad.int is minigrad.int32




def test_tensor_from_numpy_float64_scalar():
    """A numpy float64 scalar keeps its dtype, like a numpy array would."""
    got, want = both(lambda L: L.tensor(np.float64(2.0)))
    assert name(got.dtype) == name(want.dtype) == "float64"


def test_randint_high_size_form():
    """randint(5, (2, 3)) draws from [0, 5)."""
    got, want = both(lambda L: L.randint(5, (2, 3)))
    assert tuple(got.shape) == tuple(want.shape) and name(got.dtype) == name(want.dtype)
    assert 0 <= got.numpy().min() and got.numpy().max() < 5


@pytest.mark.parametrize("case", ["bool-bool", "bool-int", "int-bool", "bool-scalar", "int-scalar", "bool**True"])
def test_bool_subtraction_and_power(case):
    """torch refuses `-` with a bool operand, with its message; bool ** True stays bool."""
    if case == "bool**True":
        got, want = both(lambda L: L.tensor([True, False]) ** True)
        assert name(got.dtype) == name(want.dtype) and got.tolist() == want.tolist()
        return
    a, b = case.split("-")
    fn = {"bool": lambda L: L.tensor([True, False]), "int": lambda L: L.tensor([1, 2]), "scalar": lambda L: True}
    with pytest.raises(RuntimeError) as te:
        fn[a](torch) - fn[b](torch)
    with pytest.raises(RuntimeError) as me:
        fn[a](minigrad) - fn[b](minigrad)
    assert str(me.value) == str(te.value)
