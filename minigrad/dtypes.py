"""dtypes with torch's names, and torch's type-promotion rules."""
import numpy as np


class dtype:
    """A tensor element type; wraps the numpy dtype that stores it."""
    __slots__ = ("name", "np", "category", "title")

    def __init__(self, name, np_dtype, category, title):
        # title: torch's ScalarType name, used in error messages ("Float", "Long", ...)
        self.name, self.np, self.category, self.title = name, np.dtype(np_dtype), category, title

    def __repr__(self):
        return f"minigrad.{self.name}"

    @property
    def is_floating_point(self):
        """True for float32/float64."""
        return self.category == 2

    @property
    def itemsize(self):
        """Bytes per element."""
        return self.np.itemsize


# category: 0 bool, 1 integer, 2 floating; promotion never goes down a category
bool_ = dtype("bool", np.bool_, 0, "Bool")
uint8 = dtype("uint8", np.uint8, 1, "Byte")
int32 = dtype("int32", np.int32, 1, "Int")
int64 = dtype("int64", np.int64, 1, "Long")
float32 = dtype("float32", np.float32, 2, "Float")
float64 = dtype("float64", np.float64, 2, "Double")
_BY_NP = {d.np: d for d in (bool_, uint8, int32, int64, float32, float64)}
_default = [float32]


def from_np(np_dtype):
    """The minigrad dtype stored as this numpy dtype (float16 etc. are rejected)."""
    d = _BY_NP.get(np_dtype) or _BY_NP.get(np.dtype(np_dtype))  # an array's dtype is found without conversion
    if d is None:
        raise TypeError(f"minigrad does not support numpy dtype {np.dtype(np_dtype)}")
    return d


def get_default_dtype():
    """The dtype of float tensors created from Python floats (float32 unless changed)."""
    return _default[0]


def set_default_dtype(d):
    """Set the default floating dtype: minigrad.float32 or minigrad.float64."""
    if d not in (float32, float64):
        raise TypeError(f"only floating-point types are supported as the default type, got {d}")
    _default[0] = d


def scalar_dtype(x):
    """The dtype a Python scalar would get on its own: bool, int64 or the default float."""
    if isinstance(x, (bool, np.bool_)):
        return bool_
    if isinstance(x, (int, np.integer)):
        return int64
    return _default[0]


def promote(operands):
    """torch's result dtype for (dtype, tier) pairs; tier 2 = n-d tensor, 1 = 0-d tensor, 0 = Python scalar."""
    # the highest category wins; within it the highest tier holding it decides; numpy picks the widest of those
    cat = max(d.category for d, _ in operands)
    tier = max(t for d, t in operands if d.category == cat)
    chosen = [d for d, t in operands if d.category == cat and t == tier]
    if tier == 0:
        return chosen[0]
    return from_np(np.result_type(*[d.np for d in chosen]))
