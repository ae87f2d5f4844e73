"""Models beyond the lecture demos, each written once for any library with torch's API (`minigrad` or `torch`)."""
import math


def poly_data(lib):
    """The lecture's inputs: 2000 points of sin(x) on [-pi, pi]."""
    x = lib.linspace(-math.pi, math.pi, 2000)
    return x, lib.sin(x)


def make_dynamic_net(lib):
    """PyTorch's DynamicNet example: a cubic plus 0-2 extra powers that all reuse the parameter `e`."""

    class DynamicNet(lib.nn.Module):
        def __init__(self):
            super().__init__()
            for name in "abcde":
                setattr(self, name, lib.nn.Parameter(lib.randn(())))

        def forward(self, x, top):
            # the graph differs from step to step: `top` (4, 5 or 6) is chosen per step by the caller
            y = self.a + self.b * x + self.c * x ** 2 + self.d * x ** 3
            for exp in range(4, top):
                y = y + self.e * x ** exp
            return y
    return DynamicNet


def make_legendre(lib):
    """PyTorch's custom autograd.Function example: the Legendre polynomial P3 with a hand-written backward."""

    class LegendrePolynomial3(lib.autograd.Function):
        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            input, = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)  # P3'(x) = 1.5 (5 x^2 - 1)
    return LegendrePolynomial3
