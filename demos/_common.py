"""Helpers the demos share: command-line options and the lecture's progress lines."""
import argparse


def parse(description, steps=2000):
    """Parse --steps and --seed."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--steps", type=int, default=steps, help="training steps (the lecture uses %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="seed for the initial weights")
    return p.parse_args()


def result_line(a, b, c, d):
    """The lecture's closing line."""
    return f"Result: y = {a} + {b} x + {c} x^2 + {d} x^3"
