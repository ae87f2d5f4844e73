"""autograd: grad mode, the graph engine, custom Functions and gradient checks (torch.autograd's API)."""
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled  # noqa: F401
from .graph import Node, _toposort, run_backward  # noqa: F401
from ..tensor import grad  # noqa: F401,E402  (tensor.py imports only grad_mode and graph from here)
from .function import Function, FunctionCtx  # noqa: F401,E402
from .gradcheck import gradcheck, gradgradcheck  # noqa: F401,E402
