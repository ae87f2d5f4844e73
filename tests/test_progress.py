"""minigrad.utils.progress: live line on a TTY, ~10% lines in logs, silent with MINIGRAD_PROGRESS=0."""
import io

import pytest

from minigrad.utils import progress as progress_mod
from minigrad.utils.progress import Progress, progress


class TTY(io.StringIO):
    def isatty(self):
        return True


class Clock:
    """A fake perf_counter, so throttling is tested without depending on the machine's speed."""

    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(progress_mod.time, "perf_counter", c)
    monkeypatch.delenv("MINIGRAD_PROGRESS", raising=False)
    return c


def run(stream, monkeypatch, clock, total=100, steps=100, dt=0.001, postfix=None):
    monkeypatch.setattr("sys.stderr", stream)
    with Progress(total, desc="train") as bar:
        for _ in range(steps):
            clock.t += dt
            bar.update(1, postfix=postfix)
    return stream.getvalue()


def test_log_lines_every_ten_percent(monkeypatch, clock):
    out = run(io.StringIO(), monkeypatch, clock, total=100, steps=100)
    assert "\r" not in out
    lines = out.splitlines()
    assert len(lines) == 11  # 0%, 10%, ..., 90%, and the end
    assert lines[0].startswith("train:   0%") and "0/100" in lines[0]
    assert [f"{10 * k}/100" in lines[k] for k in range(11)] == [True] * 11
    assert "100/100" in lines[-1]


def test_log_lines_with_uneven_total(monkeypatch, clock):
    out = run(io.StringIO(), monkeypatch, clock, total=7, steps=7)
    lines = out.splitlines()
    assert len(lines) == 8 and "7/7" in lines[-1] and "\r" not in out  # every step is past a new 10% mark


def test_tty_redraws_one_line_throttled(monkeypatch, clock):
    out = run(TTY(), monkeypatch, clock, total=1000, steps=1000, dt=0.001, postfix="loss 0.123")
    assert out.count("\n") == 1 and out.endswith("\n")
    draws = out.count("\r")
    assert 5 <= draws <= 13  # 1 s of work at ~10 redraws/s, plus the first and last
    last = out.split("\r")[-1]
    assert "1000/1000" in last and "loss 0.123" in last and "it/s" in last


def test_silenced_by_env(monkeypatch, clock):
    monkeypatch.setenv("MINIGRAD_PROGRESS", "0")
    assert run(io.StringIO(), monkeypatch, clock) == ""
    assert run(TTY(), monkeypatch, clock) == ""


def test_generator_form_takes_len_and_yields_all(monkeypatch, clock):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    assert list(progress(range(20), desc="epoch")) == list(range(20))
    out = stream.getvalue()
    assert out.splitlines()[-1].startswith("epoch: 100%") and "20/20" in out


def test_unknown_total(monkeypatch, clock):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    assert list(progress(iter("abc"), desc="items")) == ["a", "b", "c"]
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("items: 0") and lines[-1].startswith("items: 3")
