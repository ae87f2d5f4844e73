"""Grad mode: whether ops record the graph (no_grad, enable_grad, set_grad_enabled)."""
import functools

_grad_enabled = [True]  # a list so every module sees the same switch


def is_grad_enabled():
    """True when ops record the graph for backward."""
    return _grad_enabled[0]


class _GradMode:
    """A context manager and decorator that sets grad mode inside, and restores the previous mode after."""
    mode = True

    def __enter__(self):
        self.prev = _grad_enabled[0]
        _grad_enabled[0] = self.mode

    def __exit__(self, *exc):
        _grad_enabled[0] = self.prev

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(mode):  # a fresh one per call: recursion keeps each call's previous mode
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_GradMode):
    """Disable graph recording (context manager or decorator)."""
    mode = False


class enable_grad(_GradMode):
    """Enable graph recording (context manager or decorator)."""


class set_grad_enabled(_GradMode):
    """Set grad mode at once, like torch; used with `with` (or as a decorator) the previous mode comes back after."""

    def __init__(self, mode):
        self.mode = bool(mode)
        self.prev, _grad_enabled[0] = _grad_enabled[0], self.mode

    def __enter__(self):
        pass  # already switched by __init__

    def __call__(self, fn):
        _grad_enabled[0] = self.prev  # as a decorator it applies only inside fn
        return super().__call__(fn)
