"""demos/gpt.py: its pieces give PyTorch's numbers from the same weights, and the demo runs in both backends."""
import math

import numpy as np
import pytest
import torch

import minigrad
from demos import gpt
from parity import convert, run_workload
from parity.gpt import WORKLOADS

TINY = dict(context=8, layers=2, width=16, heads=4)
VOCAB = 11


def pair(flash=False, dtype=torch.float64, seed=0):
    """The same tiny GPT in torch and in minigrad (weights crossed through numpy)."""
    torch.manual_seed(seed)
    theirs = gpt.make_gpt(torch, torch.nn, torch.nn.functional)(VOCAB, **TINY, flash=flash).to(dtype)
    ours = gpt.make_gpt(minigrad, minigrad.nn, minigrad.nn.functional)(VOCAB, **TINY, flash=flash)
    convert.load(ours.double() if dtype == torch.float64 else ours, minigrad, convert.to_numpy(theirs))
    return ours, theirs


def batch(seed=1, B=3, T=TINY["context"]):
    rng = np.random.default_rng(seed)
    return rng.integers(0, VOCAB, (B, T)), rng.integers(0, VOCAB, (B, T))


def test_schedule_matches_torch():
    lrs = {}
    for lib in (minigrad, torch):
        opt = lib.optim.AdamW([lib.nn.Parameter(lib.zeros(2))], lr=0.5)
        sched = gpt.make_scheduler(lib.optim, opt, steps=50)
        lrs[lib] = []
        for _ in range(50):
            lrs[lib].append(opt.param_groups[0]["lr"])
            opt.step(), sched.step()
    np.testing.assert_allclose(lrs[minigrad], lrs[torch], rtol=1e-15)
    assert lrs[torch][0] == 0.5 / 5 and max(lrs[torch]) == 0.5 and lrs[torch][4] == 0.5  # warm-up: 5 steps
    assert math.isclose(lrs[torch][-1], 0.5 * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * 44 / 45))))


def test_text_is_minigrad_source_and_ids_round_trip():
    text = gpt.load_text()
    assert "class Tensor" in text and len(text) > 50_000
    ids, chars = gpt.tokenize(text)
    assert "".join(chars[i] for i in ids[:2000]) == text[:2000] and ids.dtype == np.int64


@pytest.mark.parametrize("flash", [False, True])
def test_logits_loss_and_gradients_match_torch(flash):
    ours, theirs = pair(flash)
    x, y = batch()
    logits_o, loss_o = ours(minigrad.tensor(x), minigrad.tensor(y))
    logits_t, loss_t = theirs(torch.tensor(x), torch.tensor(y))
    np.testing.assert_allclose(logits_o.detach().numpy(), logits_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(loss_o.item(), loss_t.item(), rtol=1e-12)
    loss_o.backward(), loss_t.backward()
    grads_t = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        np.testing.assert_allclose(p.grad.numpy(), grads_t[name].grad.numpy(), rtol=1e-9, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("lib", [minigrad, torch], ids=["minigrad", "torch"])
def test_attention_by_hand_equals_scaled_dot_product_attention(lib):
    by_hand, fused = pair(flash=False)[lib is torch], pair(flash=True)[lib is torch]
    x, _ = batch(T=5)  # shorter than the context: the mask buffer is sliced
    a, b = by_hand(lib.tensor(x))[0], fused(lib.tensor(x))[0]
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_a_position_never_sees_later_positions():
    ours, _ = pair()
    x, _ = batch()
    changed = x.copy()
    changed[:, 5:] = (changed[:, 5:] + 1) % VOCAB
    a, b = (ours(minigrad.tensor(v))[0].detach().numpy() for v in (x, changed))
    np.testing.assert_array_equal(a[:, :5], b[:, :5])
    assert not np.allclose(a[:, 5:], b[:, 5:])


def test_weight_decay_only_on_matrices():
    ours, _ = pair()
    decay, no_decay = gpt.configure_optimizer(minigrad.optim, ours, 1e-3, 0.1).param_groups
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert all(p.dim() == 2 for p in decay["params"]) and all(p.dim() == 1 for p in no_decay["params"])
    assert len(decay["params"]) + len(no_decay["params"]) == len(list(ours.parameters()))


def test_greedy_sampling_matches_torch_and_top_k_restricts_choices():
    ours, theirs = pair()
    start = np.array([[3, 1]])
    greedy_o = gpt.generate(minigrad, minigrad.nn.functional, ours, minigrad.tensor(start), 12, top_k=1)
    greedy_t = gpt.generate(torch, torch.nn.functional, theirs, torch.tensor(start), 12, top_k=1)
    assert greedy_o.tolist() == greedy_t.tolist() and len(greedy_o.tolist()[0]) == 14  # context 8 < 14: cropped
    g = minigrad.Generator().manual_seed(0)
    drawn = gpt.generate(minigrad, minigrad.nn.functional, ours, minigrad.tensor(start), 1, top_k=3, generator=g)
    top3 = np.argsort(ours(minigrad.tensor(start))[0].detach().numpy()[0, -1])[-3:]
    assert drawn.tolist()[0][-1] in top3.tolist()
    again = gpt.generate(minigrad, minigrad.nn.functional, ours, minigrad.tensor(start), 20, top_k=3,
                         generator=minigrad.Generator().manual_seed(0))
    same = gpt.generate(minigrad, minigrad.nn.functional, ours, minigrad.tensor(start), 20, top_k=3,
                        generator=minigrad.Generator().manual_seed(0))
    assert again.tolist() == same.tolist()


@pytest.mark.parametrize("backend", ["minigrad", "torch"])
def test_demo_runs_logs_and_saves_a_checkpoint(backend, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MINIGRAD_PROGRESS", "0")
    result = gpt.run(gpt.parse(["--backend", backend, "--steps", "4", "--eval-every", "2", "--sample", "30",
                                "--logdir", str(tmp_path), "--layers", "1", "--batch", "4"]))
    out = capsys.readouterr().out
    assert "step 2: train loss" in out and "step 4: train loss" in out and "--- sample" in out
    assert len(result["sample"]) == 31 and result["train"] < result["uniform"] + 0.5
    lib = torch if backend == "torch" else minigrad
    ckpt = lib.load(str(tmp_path / "gpt.pt"))
    assert ckpt["step"] == 4 and "tok_emb.weight" in ckpt["model"] and "blocks.0.attn.mask" not in ckpt["model"]
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    acc = EventAccumulator(str(tmp_path))
    acc.Reload()
    tags = acc.Tags()
    assert len(acc.Scalars("loss/train_batch")) == 4 and "tok_emb.weight" in tags["histograms"]
    assert "sample/text_summary" in tags["tensors"]


@pytest.mark.parametrize("name", ["gpt", "gpt64"])
def test_parity_workload_short(name):
    row = run_workload(name, steps=10)
    assert row.compared == 2 * 10 + len(set(gpt.load_text())) and row.ok, row.failures  # + the distribution


def test_a_perturbed_weight_fails_the_gpt_check():
    state = WORKLOADS["gpt64"].init(0)
    nudged = {k: v.copy() for k, v in state.items()}
    nudged["head.weight"][0, 0] += 1e-6
    row = run_workload("gpt64", steps=5, state=state, state_a=nudged)
    assert not row.ok


@pytest.mark.slow
def test_parity_full_length():
    for name in ("gpt", "gpt64"):
        row = run_workload(name)
        assert row.ok, (name, row.failures)

