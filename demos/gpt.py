"""Step 7, beyond the lecture: a character-level GPT trained on minigrad's own source code.

The model, the training loop and the sampling are written against PyTorch's API (as in minGPT / nanoGPT) and run
unchanged on minigrad (default) or on PyTorch (--backend torch), e.g.
    python demos/gpt.py --steps 400
    python demos/gpt.py --backend torch --layers 4 --width 128
then open the printed `tensorboard --logdir ...` command's page.
"""
import argparse
import math
import os
import time
from pathlib import Path

import numpy as np

from minigrad.utils.progress import Progress

try:
    from ._common import fresh_run_dir
except ImportError:  # run as a script: python demos/gpt.py
    from _common import fresh_run_dir

SOURCE = Path(__file__).resolve().parents[1] / "minigrad"  # the text: minigrad's .py files, read at run time


def parse(argv=None):
    """Command-line options."""
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--steps", type=int, default=300, help="training steps (default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="seed for weights, batches and sampling")
    p.add_argument("--logdir", default=None, help="TensorBoard run directory, the checkpoint goes there too "
                   "(default: a fresh runs/gpt_<date-time>)")
    p.add_argument("--backend", choices=["minigrad", "torch"], default="minigrad", help="library that runs it")
    p.add_argument("--layers", type=int, default=2, help="transformer blocks")
    p.add_argument("--width", type=int, default=64, help="embedding width (d_model)")
    p.add_argument("--heads", type=int, default=4, help="attention heads (must divide --width)")
    p.add_argument("--context", type=int, default=64, help="characters the model sees at once (block size)")
    p.add_argument("--batch", type=int, default=16, help="sequences per step")
    p.add_argument("--dropout", type=float, default=0.0, help="dropout (0 suits short runs: no time to overfit)")
    p.add_argument("--lr", type=float, default=3e-3, help="peak learning rate")
    p.add_argument("--weight-decay", type=float, default=0.1, help="AdamW weight decay (matrices only)")
    p.add_argument("--flash", action=argparse.BooleanOptionalAction, default=True,
                   help="attention by F.scaled_dot_product_attention(is_causal=True), one fused op as in nanoGPT "
                   "(default); --no-flash writes it out: scores, causal mask, softmax, weighted sum")
    p.add_argument("--eval-every", type=int, default=100, help="print train/val loss every this many steps")
    p.add_argument("--sample", type=int, default=300, help="characters to generate at the end")
    p.add_argument("--temperature", type=float, default=0.8, help="sampling temperature")
    p.add_argument("--top-k", type=int, default=20, help="sample among the k most likely characters")
    args = p.parse_args(argv)
    if args.width % args.heads:
        p.error(f"--heads {args.heads} must divide --width {args.width}")
    return args


def backend(name):
    """torch, nn, F, optim and SummaryWriter, from minigrad or from PyTorch."""
    if name == "torch":
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        import torch.optim as optim
        from torch.utils.tensorboard import SummaryWriter
    else:
        import minigrad as torch
        import minigrad.nn as nn
        import minigrad.nn.functional as F
        import minigrad.optim as optim
        from minigrad.utils.tensorboard import SummaryWriter
    return torch, nn, F, optim, SummaryWriter


def load_text(root=SOURCE):
    """All of minigrad's Python source, one file after another, in a fixed order."""
    return "".join(p.read_text(encoding="utf-8") for p in sorted(Path(root).rglob("*.py")))


def tokenize(text):
    """Characters as integer ids: (ids as an int64 array, the sorted characters: chars[id] is the character)."""
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    return np.array([stoi[c] for c in text], dtype=np.int64), chars


def make_gpt(torch, nn, F):
    """Build the `GPT` class from a library with torch's API (minigrad or torch), as lecture_net does for the CNN."""

    class CausalSelfAttention(nn.Module):
        """Multi-head self-attention in which each position sees only itself and earlier positions."""

        def __init__(self, width, heads, context, dropout, flash):
            super().__init__()
            self.heads, self.dropout, self.flash = heads, dropout, flash
            self.qkv = nn.Linear(width, 3 * width)  # queries, keys and values of all heads in one matmul
            self.proj = nn.Linear(width, width)
            self.attn_dropout = nn.Dropout(dropout)
            self.resid_dropout = nn.Dropout(dropout)
            # mask[i, j] is True where position i may look at position j <= i; a buffer: moves with the module,
            # but is not a parameter (and not saved: it is rebuilt from `context`)
            mask = torch.tril(torch.ones(context, context, dtype=torch.bool))
            self.register_buffer("mask", mask.view(1, 1, context, context), persistent=False)

        def forward(self, x):
            B, T, C = x.size()
            q, k, v = self.qkv(x).split(C, dim=2)
            # (B, T, C) -> (B, heads, T, C // heads): every head attends independently
            q = q.view(B, T, self.heads, C // self.heads).transpose(1, 2)
            k = k.view(B, T, self.heads, C // self.heads).transpose(1, 2)
            v = v.view(B, T, self.heads, C // self.heads).transpose(1, 2)
            if self.flash:
                y = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0,
                                                   is_causal=True)
            else:
                att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
                att = att.masked_fill(~self.mask[:, :, :T, :T], float("-inf"))  # exp(-inf) = 0: no look ahead
                att = F.softmax(att, dim=-1)
                att = self.attn_dropout(att)
                y = att @ v
            y = y.transpose(1, 2).contiguous().view(B, T, C)  # the heads side by side again
            return self.resid_dropout(self.proj(y))

    class MLP(nn.Module):
        """Position-wise feed-forward network: widen 4x, GELU (GPT-2's tanh form), narrow back."""

        def __init__(self, width, dropout):
            super().__init__()
            self.fc = nn.Linear(width, 4 * width)
            self.gelu = nn.GELU(approximate="tanh")
            self.proj = nn.Linear(4 * width, width)
            self.dropout = nn.Dropout(dropout)

        def forward(self, x):
            return self.dropout(self.proj(self.gelu(self.fc(x))))

    class Block(nn.Module):
        """A pre-norm transformer block: x + attention(LN(x)), then x + MLP(LN(x))."""

        def __init__(self, width, heads, context, dropout, flash):
            super().__init__()
            self.ln_1 = nn.LayerNorm(width)
            self.attn = CausalSelfAttention(width, heads, context, dropout, flash)
            self.ln_2 = nn.LayerNorm(width)
            self.mlp = MLP(width, dropout)

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            return x + self.mlp(self.ln_2(x))

    class GPT(nn.Module):
        """Token + position embeddings, `layers` blocks, a final LayerNorm and a linear head to vocabulary logits."""

        def __init__(self, vocab_size, context=64, layers=2, width=64, heads=4, dropout=0.0, flash=True):
            super().__init__()
            self.context = context
            self.tok_emb = nn.Embedding(vocab_size, width)
            self.pos_emb = nn.Embedding(context, width)
            self.drop = nn.Dropout(dropout)
            self.blocks = nn.ModuleList([Block(width, heads, context, dropout, flash) for _ in range(layers)])
            self.ln_f = nn.LayerNorm(width)
            self.head = nn.Linear(width, vocab_size, bias=False)
            self.apply(self._init_weights)

        @staticmethod
        def _init_weights(module):
            # GPT-2's initialisation: small normal weights keep the first logits near uniform (loss ~ ln(vocab))
            if isinstance(module, (nn.Linear, nn.Embedding)):
                nn.init.normal_(module.weight, mean=0.0, std=0.02)
            if isinstance(module, nn.Linear) and module.bias is not None:
                nn.init.zeros_(module.bias)

        def forward(self, idx, targets=None):
            B, T = idx.size()
            pos = torch.arange(T, dtype=torch.long)
            x = self.drop(self.tok_emb(idx) + self.pos_emb(pos))  # (B, T, width) + (T, width)
            for block in self.blocks:
                x = block(x)
            logits = self.head(self.ln_f(x))
            if targets is None:
                return logits, None
            return logits, F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))

    return GPT


def configure_optimizer(optim, model, lr, weight_decay, betas=(0.9, 0.99)):
    """AdamW that decays matrices (linear and embedding weights) but not biases and LayerNorm gains/shifts."""
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]
    return optim.AdamW(groups, lr=lr, betas=betas)


def lr_factor(step, steps, warmup, floor=0.1):
    """The learning rate as a fraction of its peak: linear warm-up, then a cosine down to `floor`."""
    if step < warmup:
        return (step + 1) / warmup
    progress = min(1.0, (step - warmup) / max(1, steps - warmup))
    return floor + (1 - floor) * 0.5 * (1.0 + math.cos(math.pi * progress))


def make_scheduler(optim, optimizer, steps, warmup=None):
    """LambdaLR running lr_factor over `steps` steps (warm-up: a tenth of them unless given)."""
    warmup = max(1, steps // 10) if warmup is None else warmup
    return optim.lr_scheduler.LambdaLR(optimizer, lambda step: lr_factor(step, steps, warmup))


def train_step(model, optimizer, scheduler, x, y, clip, nn):
    """One step: forward, backward, clip the gradient norm, AdamW, schedule; returns (loss, gradient norm)."""
    _, loss = model(x, y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    norm = nn.utils.clip_grad_norm_(model.parameters(), clip)  # the norm before clipping
    optimizer.step()
    scheduler.step()
    return loss.item(), float(norm)


def get_batch(torch, data, batch, context, generator):
    """`batch` random windows of the text: inputs data[i:i+T] and targets shifted by one, data[i+1:i+T+1]."""
    ix = torch.randint(len(data) - context, (batch,), generator=generator).tolist()
    x = torch.stack([data[i:i + context] for i in ix])
    y = torch.stack([data[i + 1:i + 1 + context] for i in ix])
    return x, y


def estimate_loss(torch, model, splits, batch, context, generator, batches=10):
    """Mean loss over a few random batches of each split, in eval mode and without a graph."""
    model.eval()
    out = {}
    with torch.no_grad():
        for name, data in splits.items():
            out[name] = sum(model(*get_batch(torch, data, batch, context, generator))[1].item()
                            for _ in range(batches)) / batches
    model.train()
    return out


def generate(torch, F, model, idx, new_tokens, temperature=1.0, top_k=None, generator=None):
    """Extend idx (B, T) by new_tokens characters, each drawn from the model's temperature-scaled top-k softmax."""
    model.eval()
    with torch.no_grad():
        for _ in range(new_tokens):
            logits, _ = model(idx[:, -model.context:])  # the model sees at most its context
            logits = logits[:, -1, :] / temperature
            if top_k is not None:
                v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                logits = logits.masked_fill(logits < v[:, [-1]], float("-inf"))
            probs = F.softmax(logits, dim=-1)
            idx = torch.cat((idx, torch.multinomial(probs, num_samples=1, generator=generator)), dim=1)
    model.train()
    return idx


def run(args):
    """Train, report and sample; returns a dict of the final losses, tokens/s and the sample."""
    args.logdir = args.logdir or fresh_run_dir("runs/gpt")
    torch, nn, F, optim, SummaryWriter = backend(args.backend)
    torch.manual_seed(args.seed)
    g = torch.Generator().manual_seed(args.seed)

    text = load_text()
    ids, chars = tokenize(text)
    data = torch.from_numpy(ids)
    n = int(0.9 * len(data))
    splits = {"train": data[:n], "val": data[n:]}  # the last tenth of the source files is never trained on
    print(f"text: {len(text)} characters of minigrad's source, vocabulary {len(chars)} "
          f"(uniform guessing: loss {math.log(len(chars)):.2f})")

    GPT = make_gpt(torch, nn, F)
    model = GPT(len(chars), args.context, args.layers, args.width, args.heads, args.dropout, args.flash)
    print(f"model: {sum(p.numel() for p in model.parameters())} parameters, {args.layers} layers, width "
          f"{args.width}, {args.heads} heads, context {args.context} ({args.backend})")
    optimizer = configure_optimizer(optim, model, args.lr, args.weight_decay)
    scheduler = make_scheduler(optim, optimizer, args.steps)
    writer = SummaryWriter(args.logdir)

    losses, seconds = {}, 0.0
    with Progress(args.steps, desc="train") as bar:
        for step in range(args.steps):
            x, y = get_batch(torch, splits["train"], args.batch, args.context, g)
            t0 = time.perf_counter()
            loss, norm = train_step(model, optimizer, scheduler, x, y, 1.0, nn)
            seconds += time.perf_counter() - t0
            writer.add_scalar("loss/train_batch", loss, step)
            writer.add_scalar("grad_norm", norm, step)
            bar.update(1, postfix=f"loss {loss:.3f}")
            if (step + 1) % args.eval_every == 0 or step + 1 == args.steps:
                losses = estimate_loss(torch, model, splits, args.batch, args.context, g)
                print(f"step {step + 1}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}", flush=True)
                writer.add_scalars("loss", losses, step + 1)
                for name, p in model.named_parameters():
                    writer.add_histogram(name, p, step + 1)
    tokens_per_s = args.steps * args.batch * args.context / max(seconds, 1e-9)
    print(f"trained {args.steps} steps in {seconds:.1f} s: {tokens_per_s:.0f} tokens/s ({args.backend})")

    start = torch.tensor([[chars.index("\n")]])
    out = generate(torch, F, model, start, args.sample, args.temperature, args.top_k, g)
    sample = "".join(chars[i] for i in out[0].tolist())
    print(f"--- sample (temperature {args.temperature}, top-k {args.top_k}) ---{sample}\n---")
    writer.add_text("sample", "```\n" + sample + "\n```", args.steps)
    hparams = {k: getattr(args, k) for k in ("layers", "width", "heads", "context", "batch", "dropout", "lr",
                                             "weight_decay", "steps", "seed", "flash", "backend")}
    writer.add_hparams(hparams, {"hparam/train_loss": losses["train"], "hparam/val_loss": losses["val"]})
    writer.close()

    checkpoint = os.path.join(args.logdir, "gpt.pt")
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "vocab": "".join(chars),
                "config": {k: hparams[k] for k in ("layers", "width", "heads", "context", "dropout")},
                "step": args.steps}, checkpoint)
    print(f"checkpoint: {checkpoint}")
    return {**losses, "tokens_per_s": tokens_per_s, "seconds": seconds, "sample": sample,
            "uniform": math.log(len(chars))}


def main(argv=None):
    args = parse(argv)
    run(args)
    print(f"log directory: {os.path.abspath(args.logdir)}")
    print(f"open it with:  tensorboard --logdir {os.path.dirname(os.path.abspath(args.logdir))} --port 6006")


if __name__ == "__main__":
    main()
