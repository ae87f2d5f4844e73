"""The schedulers added for the curriculum (LinearLR, ConstantLR, SequentialLR, OneCycleLR, ReduceLROnPlateau) and
step(epoch)'s closed forms, against torch: lr (and momentum / beta1) after every step, state_dict round trips and
errors. (The older schedulers' trajectories are tested in test_optim.py.)"""
import warnings

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import minigrad

SETTINGS = settings(max_examples=25, deadline=None)


def make_opt(lib, kind="sgd"):
    params = [lib.zeros(2, requires_grad=True), lib.zeros(3, requires_grad=True)]
    groups = [{"params": params[:1]}, {"params": params[1:], "lr": 0.05}]
    if kind == "adam":
        return lib.optim.Adam(groups, lr=0.1, betas=(0.9, 0.99))
    return lib.optim.SGD(groups, lr=0.1, momentum=0.9 if kind == "sgd" else 0)


def trajectory(lib, build, steps, kind="sgd", metrics=None):
    """Every group's (lr, momentum or beta1) after construction and after each step."""
    opt = make_opt(lib, kind)
    sched = build(lib.optim.lr_scheduler, opt)
    seen = []
    for i in range(steps + 1):
        seen.append([(g["lr"], g.get("momentum"), g.get("betas", (None,))[0]) for g in opt.param_groups]
                    + [tuple(sched.get_last_lr())])
        if i < steps:
            opt.step()
            sched.step(*([metrics[i]] if metrics is not None else []))
    return seen, sched


def same(build, steps, kind="sgd", metrics=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns about the optimizer step taking no gradient; fine here
        mine, ms = trajectory(minigrad, build, steps, kind, metrics)
        ref, ts = trajectory(torch, build, steps, kind, metrics)
    def flat(rows):  # None (no momentum / betas in that optimizer) as nan, which assert_allclose matches to nan
        return np.array([[np.nan if v is None else float(v) for part in row for v in part] for row in rows])
    np.testing.assert_allclose(flat(mine), flat(ref), rtol=1e-12, atol=1e-15)
    return ms, ts


@SETTINGS
@given(start=st.sampled_from([0.1, 1 / 3, 0.5, 1.0]), end=st.sampled_from([1.0, 0.5, 0.0]), total=st.integers(1, 8),
       steps=st.integers(0, 12))
def test_linear_lr(start, end, total, steps):
    same(lambda m, o: m.LinearLR(o, start_factor=start, end_factor=end, total_iters=total), steps)


@SETTINGS
@given(factor=st.sampled_from([0.1, 0.5, 1.0]), total=st.integers(0, 6), steps=st.integers(0, 10))
def test_constant_lr(factor, total, steps):
    same(lambda m, o: m.ConstantLR(o, factor=factor, total_iters=total), steps)


@SETTINGS
@given(warm=st.integers(1, 6), t_max=st.integers(1, 10), second=st.sampled_from(["cos", "exp", "step"]),
       steps=st.integers(0, 20))
def test_sequential_warmup_then_decay(warm, t_max, second, steps):
    def build(m, o):
        after = {"cos": lambda: m.CosineAnnealingLR(o, T_max=t_max, eta_min=0.001),
                 "exp": lambda: m.ExponentialLR(o, gamma=0.9), "step": lambda: m.StepLR(o, 3, 0.5)}[second]()
        return m.SequentialLR(o, [m.LinearLR(o, 0.1, total_iters=warm), after], milestones=[warm])
    same(build, steps)


def test_sequential_three_schedulers_and_state_dict():
    def build(m, o):
        return m.SequentialLR(o, [m.ConstantLR(o, 0.5, 2), m.LinearLR(o, 0.2, total_iters=3),
                                  m.ExponentialLR(o, 0.8)], milestones=[2, 6])
    ms, ts = same(build, 12)
    sd, tsd = ms.state_dict(), ts.state_dict()
    assert set(sd) <= set(tsd) and len(sd["_schedulers"]) == 3
    opt = make_opt(minigrad)
    again = build(minigrad.optim.lr_scheduler, opt)
    again.load_state_dict(sd)
    assert again.last_epoch == ms.last_epoch and again._schedulers[2].last_epoch == ms._schedulers[2].last_epoch


@SETTINGS
@given(total=st.integers(4, 30), pct=st.sampled_from([0.1, 0.3, 0.5]), anneal=st.sampled_from(["cos", "linear"]),
       three=st.booleans(), kind=st.sampled_from(["sgd", "adam", "plain"]), cycle=st.booleans(),
       max_lr=st.sampled_from([1.0, [0.5, 2.0]]))
def test_one_cycle(total, pct, anneal, three, kind, cycle, max_lr):
    cycle = cycle and kind != "plain"

    def build(m, o):
        return m.OneCycleLR(o, max_lr, total_steps=total, pct_start=pct, anneal_strategy=anneal, three_phase=three,
                            cycle_momentum=cycle)
    try:
        trajectory(torch, build, total, kind)
    except ZeroDivisionError:  # a phase of zero steps: torch divides by zero, and so must we
        with pytest.raises(ZeroDivisionError):
            trajectory(minigrad, build, total, kind)
        return
    same(build, total, kind)


def test_one_cycle_epochs_form_and_too_many_steps():
    same(lambda m, o: m.OneCycleLR(o, 0.5, epochs=3, steps_per_epoch=4, base_momentum=[0.8, 0.7]), 12)
    for lib in (minigrad, torch):
        opt = make_opt(lib)
        sched = lib.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=2)
        opt.step()
        sched.step()
        sched.step()
        with pytest.raises(ValueError, match="Tried to step 3 times. The specified number of total steps is 2"):
            sched.step()


@SETTINGS
@given(mode=st.sampled_from(["min", "max"]), factor=st.sampled_from([0.1, 0.5]), patience=st.integers(0, 3),
       threshold=st.sampled_from([1e-4, 0.1]), threshold_mode=st.sampled_from(["rel", "abs"]),
       cooldown=st.integers(0, 2), min_lr=st.sampled_from([0, 0.01, [0.02, 0.001]]),
       metrics=st.lists(st.sampled_from([1.0, 0.9, 0.99, 1.2, 0.5, 0.5]), min_size=1, max_size=25))
def test_reduce_on_plateau(mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, metrics):
    ms, ts = same(lambda m, o: m.ReduceLROnPlateau(o, mode, factor, patience, threshold, threshold_mode, cooldown,
                                                   min_lr), len(metrics), metrics=metrics)
    sd, tsd = ms.state_dict(), ts.state_dict()
    assert set(sd) <= set(tsd)
    for k in ("best", "num_bad_epochs", "cooldown_counter", "last_epoch", "min_lrs"):
        assert sd[k] == tsd[k]


@pytest.mark.parametrize("name,kw", [("StepLR", {"step_size": 3, "gamma": 0.5}),
                                     ("MultiStepLR", {"milestones": [2, 5, 5], "gamma": 0.5}),
                                     ("ExponentialLR", {"gamma": 0.9}), ("CosineAnnealingLR", {"T_max": 6}),
                                     ("LinearLR", {"total_iters": 4}), ("ConstantLR", {"total_iters": 3}),
                                     ("LambdaLR", {"lr_lambda": lambda e: 0.5 ** e})])
def test_step_with_epoch_uses_the_closed_form_and_warns(name, kw):
    out = {}
    for lib in (minigrad, torch):
        opt = make_opt(lib, "plain")
        sched = getattr(lib.optim.lr_scheduler, name)(opt, **kw)
        lrs = []
        for epoch in (4, 1, 7, 0, 3):
            with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)` was not necessary"):
                sched.step(epoch)
            lrs.append(sched.get_last_lr())
        out[lib] = lrs
    np.testing.assert_allclose(out[minigrad], out[torch], rtol=1e-12)


def torch_error(fn):
    with pytest.raises(Exception) as e:
        fn()
    return type(e.value), str(e.value)


@pytest.mark.parametrize("call", [
    lambda m, o: m.LinearLR(o, start_factor=0),
    lambda m, o: m.LinearLR(o, end_factor=1.5),
    lambda m, o: m.ConstantLR(o, factor=2),
    lambda m, o: m.SequentialLR(o, [], []),
    lambda m, o: m.SequentialLR(o, [m.ConstantLR(o), m.ConstantLR(o)], []),
    lambda m, o: m.SequentialLR(o, [m.ReduceLROnPlateau(o)], []),
    lambda m, o: m.OneCycleLR(o, 1.0),
    lambda m, o: m.OneCycleLR(o, 1.0, total_steps=0),
    lambda m, o: m.OneCycleLR(o, 1.0, epochs=2, steps_per_epoch=-1),
    lambda m, o: m.OneCycleLR(o, 1.0, total_steps=5, pct_start=2.0),
    lambda m, o: m.OneCycleLR(o, 1.0, total_steps=5, anneal_strategy="exp"),
    lambda m, o: m.OneCycleLR(o, [1.0], total_steps=5),
    lambda m, o: m.ReduceLROnPlateau(o, factor=1.0),
    lambda m, o: m.ReduceLROnPlateau(o, mode="up"),
    lambda m, o: m.ReduceLROnPlateau(o, threshold_mode="x"),
    lambda m, o: m.ReduceLROnPlateau(o, min_lr=[0.1]),
    lambda m, o: m.ReduceLROnPlateau(object()),
])
def test_errors(call):
    assert torch_error(lambda: call(minigrad.optim.lr_scheduler, make_opt(minigrad))) == \
        torch_error(lambda: call(torch.optim.lr_scheduler, make_opt(torch)))


def test_one_cycle_needs_momentum():
    for lib in (minigrad, torch):
        opt = lib.optim.Adagrad([lib.zeros(1, requires_grad=True)])
        with pytest.raises(ValueError, match="optimizer must support momentum or beta1 with `cycle_momentum`"):
            lib.optim.lr_scheduler.OneCycleLR(opt, 1.0, total_steps=4)
