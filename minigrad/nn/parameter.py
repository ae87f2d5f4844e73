"""Parameter: a Tensor that a Module registers as learnable."""
import numpy as np

from ..tensor import Tensor, _to_array


class Parameter(Tensor):
    """A Tensor that Modules collect in parameters(); requires grad by default."""

    def __init__(self, data=None, requires_grad=True):
        arr = np.empty(0, np.float32) if data is None else _to_array(data)
        super().__init__(arr, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()
