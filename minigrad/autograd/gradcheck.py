"""gradcheck and gradgradcheck: autograd's gradients against central differences, in float64."""
import numpy as np

from ..tensor import Tensor, grad


def _numeric(f, x, eps):
    """d sum(f()) / dx by central differences, one element at a time."""
    numeric, flat = np.zeros(x.shape), x._data.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        hi = float(f().sum())
        flat[i] = old - eps
        lo = float(f().sum())
        flat[i] = old
        numeric.reshape(-1)[i] = (hi - lo) / (2 * eps)
    return numeric


def _check(fn, inputs, eps, atol, rtol, raise_exception, what):
    diff = [x for x in inputs if isinstance(x, Tensor) and x.requires_grad]
    for x in diff:
        if x.dtype.name != "float64":
            raise ValueError("gradcheck needs float64 inputs for accurate central differences")
    out = fn(*inputs).sum()
    # an output with no graph (e.g. a gradient whose backward detached its inputs) has derivative zero
    analytic = grad(out, diff, allow_unused=True) if out.requires_grad else [None] * len(diff)
    for x, a in zip(diff, analytic):
        numeric = _numeric(lambda: fn(*inputs), x, eps)
        a = np.zeros(x.shape) if a is None else a._data
        if not np.allclose(a, numeric, atol=atol, rtol=rtol):
            if raise_exception:
                raise RuntimeError(f"{what} mismatch for input of shape {tuple(x.shape)}:\n"
                                   f"numerical: {numeric}\nanalytical: {a}")
            return False
    return True


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Compare autograd gradients of sum(fn(*inputs)) with central differences in float64."""
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    return _check(fn, inputs, eps, atol, rtol, raise_exception, "Jacobian")


def gradgradcheck(fn, inputs, grad_outputs=None, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Check second derivatives: gradcheck of x -> <d<fn(x), v>/dx, u>, the gradient built with create_graph."""
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    rng = np.random.default_rng(0)
    v = grad_outputs if grad_outputs is not None else Tensor(rng.standard_normal(tuple(fn(*inputs).shape)))
    v = v[0] if isinstance(v, (tuple, list)) else v
    us = [Tensor(rng.standard_normal(tuple(x.shape))) for x in inputs if isinstance(x, Tensor) and x.requires_grad]

    def first(*xs):
        gs = grad((fn(*xs) * v).sum(), [x for x in xs if isinstance(x, Tensor) and x.requires_grad],
                  create_graph=True, allow_unused=True)
        terms = [(g * u).sum() for g, u in zip(gs, us) if g is not None]
        return sum(terms[1:], terms[0]) if terms else Tensor(np.zeros(()))
    return _check(first, inputs, eps, atol, rtol, raise_exception, "Jacobian of the gradient")
