"""Learn the Basics, Automatic Differentiation: a one-layer logistic model's gradients, no_grad/detach, Jacobian products."""
from swap import printed, prints, run_both, tied_randn, values


def autograd(lib):
    x = lib.ones(5)  # input tensor
    y = lib.zeros(3)  # expected output
    w = tied_randn(lib, 5, 3, requires_grad=True)
    b = tied_randn(lib, 3, seed=1, requires_grad=True)
    z = lib.matmul(x, w) + b
    loss = lib.nn.functional.binary_cross_entropy_with_logits(z, y)
    # minigrad composes this loss from primitives (its node is the last one's, MeanBackward0): that name may differ
    out = {"z": z, "loss": loss, "print z.grad_fn": f"Gradient function for z = {printed(z.grad_fn)}",
           "loss has grad_fn": loss.grad_fn is not None}
    loss.backward()
    out["grads"] = w.grad, b.grad

    requires = [z.requires_grad]
    with lib.no_grad():
        z = lib.matmul(x, w) + b
    requires.append(z.requires_grad)
    z = lib.matmul(x, w) + b
    z_det = z.detach()
    out["requires_grad"] = requires + [z_det.requires_grad, z.requires_grad]

    inp = lib.eye(4, 5, requires_grad=True)
    res = (inp + 1).pow(2).t()
    res.backward(lib.ones_like(res), retain_graph=True)
    out["first call"], out["print first call"] = inp.grad.clone(), f"First call\n{inp.grad}"
    res.backward(lib.ones_like(res), retain_graph=True)
    out["second call"], out["print second call"] = inp.grad.clone(), f"\nSecond call\n{inp.grad}"
    inp.grad.zero_()
    res.backward(lib.ones_like(res), retain_graph=True)
    out["after zeroing"], out["print after zeroing"] = inp.grad, f"\nCall after zeroing gradients\n{inp.grad}"
    out["res"], out["print res"] = res, str(res)
    return out


def test_autograd():
    want = run_both(autograd, rtol=1e-6, atol=1e-7, keys=values)
    assert want["requires_grad"] == [True, False, False, True] and want["loss has grad_fn"] is True
    assert (want["second call"] == 2 * want["first call"]).all() and (want["after zeroing"] == want["first call"]).all()


def test_autograd_prints():
    want = run_both(autograd, keys=prints)
    assert want["print z.grad_fn"] == "Gradient function for z = <AddBackward0>"
