"""The lecture's workloads, each defined once and run by either engine (`lib` is minigrad, torch or numpy).

A workload's `init(seed)` makes the initial weights once, as a numpy state dict; `run(lib, state, steps, opts)`
trains from them and returns a `Run`. Both engines get the same state and the same data order.
"""
import functools
import time
import warnings
from dataclasses import dataclass

import numpy as np

from minigrad.utils.progress import progress

from . import convert, data, models


@dataclass
class Options:
    """Where and how the torch side runs, and where the CNN finds its data and logs."""
    device: str = "cpu"
    data: str = data.DEFAULT_ROOT
    logdir: str = None
    test_images: int = 10000  # the CNN's accuracy is measured on the first this many test images


@dataclass
class Run:
    """One engine's result: the loss trajectory, final parameters (numpy), seconds, and test accuracy (CNN)."""
    losses: list
    params: dict
    seconds: float
    accuracy: float = None


@dataclass
class Workload:
    """A named workload: its default steps, how to make its initial weights, how to train it with one engine."""
    name: str
    title: str
    steps: int
    init: object
    run: object
    engines: tuple = ("minigrad", "torch")
    warmup: bool = True  # run 2 untimed steps first, so one-time costs (lazy imports, allocators) stay out of timings


def _quiet(*_):
    pass


def _timed(fn):
    start = time.perf_counter()
    losses, params, *acc = fn()
    return Run([float(v) for v in losses], convert.to_numpy(params), time.perf_counter() - start, *acc)


def _scalars(seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return {k: np.array(rng.standard_normal(), dtype) for k in "abcd"}


def _from_module(lib_name, build):
    """init(seed): seed `lib_name`, build(lib) a model, take its state dict (so weights cross between engines)."""
    def init(seed):
        import importlib
        lib = importlib.import_module(lib_name)
        lib.manual_seed(seed)
        return convert.to_numpy(build(lib))
    return init


class _Placed:
    """`torch` as lecture 2's fit sees it, with torch.device(...) answering the chosen device (the demo fixes cpu)."""

    def __init__(self, lib, device):
        self._lib, self._device = lib, device

    def __getattr__(self, name):
        return getattr(self._lib, name)

    def device(self, *_):
        return self._lib.device(self._device)


def _for_lecture2(lib, device):
    return _Placed(lib, device) if lib.__name__ == "torch" and device != "cpu" else lib


# --- 1-5: the lecture demos, reused as written (they return the losses printed every 100th step) ------------------------------------------------------------------

def _run_numpy(lib, state, steps, opts):
    from demos import lecture1_numpy, lecture2_tensors
    init = [float(state[k]) for k in "abcd"]
    if lib.__name__ == "numpy":
        return _timed(lambda: _demo_params(lecture1_numpy.fit(init, steps, log=_quiet)))
    torch = _for_lecture2(lib, opts.device)
    return _timed(lambda: _demo_params(lecture2_tensors.fit(torch, init, steps, log=_quiet, dtype=lib.float64)))


def _run_tensors(lib, state, steps, opts):
    from demos.lecture2_tensors import fit
    init = [float(state[k]) for k in "abcd"]
    return _timed(lambda: _demo_params(fit(_for_lecture2(lib, opts.device), init, steps, log=_quiet)))


def _run_autograd(lib, state, steps, opts):
    from demos.lecture3_autograd import fit
    init = [float(state[k]) for k in "abcd"]
    with convert.placed(lib, opts.device):
        return _timed(lambda: _demo_params(fit(lib, init, steps, log=_quiet)))


def _run_sequential(lib, state, steps, opts):
    from demos.lecture4_nn import fit
    weight, bias = state["weight"].tolist(), state["bias"].tolist()
    with convert.placed(lib, opts.device):
        return _timed(lambda: _demo_params(fit(lib, weight, bias, steps, log=_quiet)))


def _run_sgd(lib, state, steps, opts):
    from demos.lecture5_optim import fit
    init = [float(state[k]) for k in "abcd"]
    with convert.placed(lib, opts.device):
        return _timed(lambda: _demo_params(fit(lib, init, steps, log=_quiet)))


def _demo_params(fit_result):
    losses, coefficients = fit_result  # the fitted a, b, c, d of y = a + b x + c x^2 + d x^3
    return losses, dict(zip("abcd", coefficients))


# --- other optimizers, custom Function, dynamic graph: the loops written once here ------------------------------

def _poly_optim(make_optimizer):
    """A Polynomial3 + MSELoss(sum) fit driven by the optimizer that make_optimizer(lib.optim, params) builds."""
    from demos.lecture5_optim import polynomial3

    def run(lib, state, steps, opts):
        def train():
            x, y = models.poly_data(lib)
            model = convert.load(polynomial3(lib)(), lib, state)
            criterion = lib.nn.MSELoss(reduction="sum")
            optimizer = make_optimizer(lib.optim, model.parameters())
            losses = []
            for _ in range(steps):
                loss = criterion(model(x), y)
                losses.append(loss.item())
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            return losses, model
        with convert.placed(lib, opts.device):
            return _timed(train)
    return run


def _legendre_init(seed):
    # PyTorch's example starts here on purpose (a random start rarely converges with this model)
    return {k: np.array(v, np.float32) for k, v in zip("abcd", (0.0, -1.0, 0.0, 0.3))}


def _run_legendre(lib, state, steps, opts, learning_rate=5e-6):
    def train():
        x, y = models.poly_data(lib)
        P3 = models.make_legendre(lib).apply
        params = [lib.tensor(state[k], requires_grad=True) for k in "abcd"]
        a, b, c, d = params
        losses = []
        for _ in range(steps):
            loss = (a + b * P3(c + d * x) - y).pow(2).sum()
            losses.append(loss.item())
            loss.backward()
            with lib.no_grad():
                for p in params:
                    p -= learning_rate * p.grad
                    p.grad = None
        return losses, dict(zip("abcd", params))
    with convert.placed(lib, opts.device):
        return _timed(train)


def _run_dynamic(lib, state, steps, opts):
    tops = np.random.default_rng(0).integers(4, 7, size=steps)  # the per-step depth, the same for both engines

    def train():
        x, y = models.poly_data(lib)
        model = convert.load(models.make_dynamic_net(lib)(), lib, state)
        criterion = lib.nn.MSELoss(reduction="sum")
        optimizer = lib.optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
        losses = []
        for top in tops:
            loss = criterion(model(x, int(top)), y)
            losses.append(loss.item())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        return losses, model
    with convert.placed(lib, opts.device):
        return _timed(train)


# --- 6: the FashionMNIST CNN -----------------------------------------------------------------------------------

def _cnn_init(seed):
    import minigrad
    from demos.lecture_net import make_net
    minigrad.manual_seed(seed)
    return convert.to_numpy(make_net(minigrad.nn, minigrad.nn.functional)())


def _writer(lib, opts):
    """The engine's own SummaryWriter (torch.utils.tensorboard or minigrad.utils.tensorboard) under logdir/<engine>."""
    if not opts.logdir:
        return None
    import importlib
    import os
    writer_cls = importlib.import_module(lib.__name__ + ".utils.tensorboard").SummaryWriter
    return writer_cls(os.path.join(opts.logdir, lib.__name__))


def _run_cnn(lib, state, steps, opts, double=False, batch_size=4):
    from demos.lecture_net import make_net
    x_train, y_train, x_test, y_test = data.fashion_mnist(opts.data)
    order = data.batch_order(steps, batch_size)
    dtype = np.float64 if double else np.float32
    with convert.placed(lib, opts.device):
        net = convert.load(make_net(lib.nn, lib.nn.functional)(), lib, state)
        if double:
            net.double()
        criterion = lib.nn.CrossEntropyLoss()
        optimizer = lib.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
        writer = None if double else _writer(lib, opts)
        if writer:
            with warnings.catch_warnings():  # torch's add_graph traces with torch.jit, which warns it is deprecated
                warnings.simplefilter("ignore", FutureWarning)
                writer.add_graph(net, lib.tensor(x_train[order[0]]))

        def train():
            losses, running, every = [], 0.0, min(1000, steps)  # the lecture logs the mean of every 1000 losses
            # an epoch takes minutes: a bar on stderr (a line per 10% in logs) shows it is moving
            for i, idx in enumerate(progress(order, desc=f"{'cnn64' if double else 'cnn'} {lib.__name__}")):
                inputs, labels = lib.tensor(x_train[idx].astype(dtype)), lib.tensor(y_train[idx])
                optimizer.zero_grad()
                loss = criterion(net(inputs), labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
                running += losses[-1]
                if writer and i % every == every - 1:
                    writer.add_scalar("training loss", running / every, i)
                    running = 0.0
            correct = 0
            n_test = min(opts.test_images, len(x_test))
            with lib.no_grad():
                for k in range(0, n_test, 1000):
                    pred = net(lib.tensor(x_test[k:min(k + 1000, n_test)].astype(dtype))).argmax(1)
                    correct += int((pred == lib.tensor(y_test[k:min(k + 1000, n_test)])).sum().item())
            return losses, net, correct / n_test
        run = _timed(train)
        if writer:
            writer.close()
        return run


def _optim(name, **kwargs):
    return lambda optim, params: getattr(optim, name)(params, **kwargs)


def _poly3(lib):
    from demos.lecture5_optim import polynomial3
    return polynomial3(lib)()


_MG, _TORCH = "minigrad", "torch"
WORKLOADS = {w.name: w for w in [
    Workload("numpy", "1. numpy by hand vs torch float64 by hand (lecture cells 79/80)", 2000,
             _scalars, _run_numpy, engines=("numpy", _TORCH)),
    Workload("tensors", "2. tensors, backward by hand, float32 (cell 80)", 2000,
             lambda seed: _scalars(seed, np.float32), _run_tensors),
    Workload("autograd", "3. autograd, float32 (cell 81)", 2000,
             lambda seed: _scalars(seed, np.float32), _run_autograd),
    Workload("sequential", "4. nn.Sequential + MSELoss, torch-initialised (cells 82-83)", 2000,
             _from_module(_TORCH, lambda lib: lib.nn.Linear(3, 1)), _run_sequential),
    Workload("sgd", "5. Polynomial3 + optim.SGD, minigrad-initialised (cells 84-85)", 2000,
             _from_module(_MG, _poly3), _run_sgd),
    Workload("adam", "Polynomial3 + optim.Adam(lr=1e-2)", 2000,
             _from_module(_MG, _poly3), _poly_optim(_optim("Adam", lr=1e-2))),
    # alpha=0.999: with the default 0.99 this fit passes an unstable phase (steps ~690-760) in which any rounding
    # difference grows 1.6x per step, in float64 as in float32 (a 1-ulp nudge of torch's own start moves its
    # losses by 3e-3), which would bury the optimizer's arithmetic under amplified noise
    Workload("rmsprop", "Polynomial3 + optim.RMSprop(lr=1e-3, alpha=0.999)", 2000,
             _from_module(_MG, _poly3), _poly_optim(_optim("RMSprop", lr=1e-3, alpha=0.999))),
    Workload("adagrad", "Polynomial3 + optim.Adagrad(lr=0.1)", 2000,
             _from_module(_MG, _poly3), _poly_optim(_optim("Adagrad", lr=0.1))),
    Workload("legendre", "custom autograd.Function: a + b P3(c + d x)", 2000, _legendre_init, _run_legendre),
    Workload("dynamic", "dynamic graph, parameter e reused 0-2 times per step, SGD momentum", 2000,
             _from_module(_TORCH, lambda lib: models.make_dynamic_net(lib)()), _run_dynamic),
    Workload("cnn", "6. FashionMNIST CNN, batch 4, SGD momentum, one epoch, TensorBoard (cells 86-103)", 15000,
             _cnn_init, _run_cnn, warmup=False),
    Workload("cnn64", "6b. the same CNN in float64, where rounding cannot mask a difference in the math", 1000,
             _cnn_init, functools.partial(_run_cnn, double=True), warmup=False),
]}
