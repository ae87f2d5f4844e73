"""Custom ops with a hand-written backward: autograd.Function and the ctx its forward and backward share."""
from ..tensor import Tensor
from .grad_mode import no_grad


class FunctionCtx:
    """The ctx a custom Function's forward and backward share."""

    def save_for_backward(self, *tensors):
        """Keep tensors for backward (their versions are checked, as for built-in ops)."""
        self.to_save = tensors

    def mark_non_differentiable(self, *tensors):
        """Accepted for API compatibility; minigrad never differentiates integer outputs anyway."""


class Function:
    """Base class for ops with a hand-written backward: subclass with static forward(ctx, ...) and backward(ctx, grad)."""

    @classmethod
    def apply(cls, *args):
        """Run forward without recording, then record one node whose rule calls cls.backward on Tensors."""
        ctx = FunctionCtx()
        with no_grad():
            out = cls.forward(ctx, *args)
        tensors = tuple([a for a in args if isinstance(a, Tensor)])
        saved = getattr(ctx, "to_save", ())

        def rule(xp, g, *values):
            # backward runs on Tensors; with create_graph its ops are recorded, so it can be differentiated again
            ctx.saved_tensors = tuple(values) if xp.graph else saved
            gs = cls.backward(ctx, xp.wrap(g, out))
            gs = gs if isinstance(gs, tuple) else (gs,)
            return tuple([None if x is None else xp.unwrap(x) for a, x in zip(args, gs) if isinstance(a, Tensor)])
        return Tensor._op(out._data, tensors, rule, cls.__name__ + "Backward", saved)
