"""A small progress bar on stderr (the role tqdm plays in the PyTorch ecosystem).

On a terminal it redraws one line with '\\r' (at most ~10 times a second); in a log or a pipe it writes a
plain line at 0%, about every 10% (every 10 s when the total is unknown) and at the end, so CI logs stay
readable. MINIGRAD_PROGRESS=0 silences it.
"""
import os
import sys
import time

__all__ = ["Progress", "progress"]


class Progress:
    """A progress bar for `total` steps (None: unknown), written to sys.stderr; use as a context manager."""

    def __init__(self, total=None, desc=""):
        self.total, self.desc, self.n, self.postfix, self._closed = total, desc, 0, "", False
        self.enabled = os.environ.get("MINIGRAD_PROGRESS", "1") != "0"
        self.stream = sys.stderr  # looked up now, so tests (and pytest's capture) can swap sys.stderr
        self.tty = self.enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.start = self._last_draw = time.perf_counter()
        self._next_tenth = 1  # non-TTY: the next 10% mark that earns a line
        if self.enabled:
            self._draw(force=True)

    def update(self, n=1, postfix=None):
        """Advance by n steps; postfix (text) is shown after the counts."""
        self.n += n
        if postfix is not None:
            self.postfix = str(postfix)
        if self.enabled:
            self._draw()

    def close(self):
        """Write the final line (once)."""
        first, self._closed = not self._closed, True
        if first and self.enabled:
            self._draw(force=True, final=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _line(self):
        elapsed = time.perf_counter() - self.start
        rate = self.n / elapsed if elapsed > 0 and self.n else None
        rate = "? it/s" if rate is None else f"{rate:.1f} it/s" if rate < 10 else f"{rate:.0f} it/s"
        frac = min(self.n / self.total, 1.0) if self.total else 0
        body = f"{frac:4.0%} [{'#' * int(frac * 20):<20}] {self.n}/{self.total}" if self.total else f"{self.n}"
        return (f"{self.desc}: " if self.desc else "") + f"{body} {rate} {elapsed:.1f}s" + (
            f" {self.postfix}" if self.postfix else "")

    def _draw(self, force=False, final=False):
        now = time.perf_counter()
        if self.tty:  # redrawing every step would cost more than a fast loop's step; 10/s looks live
            if not force and now - self._last_draw < 0.1:
                return
            text = "\r" + self._line() + "\x1b[K" + ("\n" if final else "")
        else:  # a line at each 10% of a known total (the end's comes from close()), every 10 s of an unknown one
            if not force and (now - self._last_draw < 10 if not self.total else
                              self.n * 10 < self._next_tenth * self.total or self.n >= self.total):
                return
            if self.total:
                self._next_tenth = self.n * 10 // self.total + 1
            text = self._line() + "\n"
        self._last_draw = now
        self.stream.write(text)
        self.stream.flush()


def progress(iterable, total=None, desc=""):
    """Yield from iterable while showing a Progress bar (total from len(iterable) when not given)."""
    if total is None:
        try:
            total = len(iterable)
        except TypeError:
            total = None
    with Progress(total, desc=desc) as bar:
        for item in iterable:
            yield item
            bar.update(1)
