"""python -m demos [--quick]: run the lecture's steps 1-6 in order, each as its own demo script, then step 7 (a GPT)."""
import argparse
import os
import runpy
import sys

STEPS = ["lecture1_numpy", "lecture2_tensors", "lecture3_autograd", "lecture4_nn", "lecture5_optim",
         "lecture6_tensorboard", "gpt"]
NEEDS_DATA = {"lecture6_tensorboard"}  # steps that read FashionMNIST (a later step can add itself here)


def check_data(root):
    """Before step 1: find (or download) FashionMNIST, so offline users learn at once what step 6 will need."""
    from minigrad.vision.datasets import FashionMNIST
    for train in (True, False):  # offline and without a copy this raises the message naming all four files
        FashionMNIST(root, train=train, download=True)


def main():
    p = argparse.ArgumentParser(prog="python -m demos", description=__doc__)
    p.add_argument("--quick", action="store_true", help="short runs (300 steps each) to see everything work")
    args, rest = p.parse_known_args()
    if NEEDS_DATA & set(STEPS):
        try:
            check_data(os.environ.get("MINIGRAD_DATA") or "./data")  # lecture6_tensorboard's default root
        except RuntimeError as e:
            sys.exit(f"python -m demos: step 6 needs FashionMNIST.\n{e}")
    for name in STEPS:
        print(f"\n===== {name} =====", flush=True)
        sys.argv = [name] + (["--steps", "300"] if args.quick else []) + rest
        runpy.run_module(f"demos.{name}", run_name="__main__")


if __name__ == "__main__":
    main()
