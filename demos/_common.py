"""Helpers the demos share: command-line options, the lecture's closing line, fresh run folders."""
import argparse
import time


def parse(description, steps=2000):
    """Parse --steps and --seed."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--steps", type=int, default=steps, help="training steps (the lecture uses %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="seed for the initial weights")
    return p.parse_args()


def result_line(a, b, c, d):
    """The lecture's closing line."""
    return f"Result: y = {a} + {b} x + {c} x^2 + {d} x^3"


def fresh_run_dir(base):
    """base plus a date-time suffix: each run logs to its own folder instead of appending to the last one's."""
    return f"{base}_{time.strftime('%Y%m%d-%H%M%S')}"
