"""What the tutorials print, compared as text: wrapped rows, grad_fn suffix lines, graph nodes (the values are
compared in each tutorial's own file; its program keeps the printed text under `print ...` keys)."""
import test_basics_buildmodel
import test_blitz_autograd
import test_blitz_neural_networks
import test_examples_polynomial
from swap import printed, prints, run_both


def test_build_model_prints():
    """Rows of 20 floats wrap at 80 columns as torch wraps them; `grad_fn=` moves to its own line when it must."""
    want = run_both(test_basics_buildmodel.build_model, keys=prints)
    assert want["print predicted"].startswith("Predicted class: tensor([")


def test_custom_function_node_prints():
    """A custom Function's node prints with its module path, as torch's `<torch.autograd.function.P3Backward ...>`."""
    def node(lib):
        x = lib.ones(3, requires_grad=True)
        return {"print node": printed(test_examples_polynomial.legendre(lib).apply(x).grad_fn)}

    run_both(node)


def test_blitz_neural_networks_prints():
    """LeNet's 1x10 output wraps as torch's (the graph walk is compared in the tutorial's file)."""
    want = run_both(test_blitz_neural_networks.neural_networks, keys=prints)
    assert want["print out"].endswith("grad_fn=<AddmmBackward0>)")


def test_blitz_autograd_prints():
    """Q = 3a^3 - b^2 walked node by node: `a ** 3` (a Python exponent) has one input in torch's graph, not two."""
    want = run_both(test_blitz_autograd.differentiation, keys=prints)
    assert want["print check"] == "tensor([True, True])\ntensor([True, True])"
    assert want["print walk"] == ["<SubBackward0>", [["<MulBackward0>", [["<PowBackward0>", [["<AccumulateGrad>", []]]],
                                                                        None]],
                                                    ["<PowBackward0>", [["<AccumulateGrad>", []]]]]]
