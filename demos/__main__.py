"""python -m demos [--quick]: run the lecture's steps 1-6 in order, each as its own demo script."""
import argparse
import runpy
import sys

STEPS = ["lecture1_numpy", "lecture2_tensors", "lecture3_autograd", "lecture4_nn", "lecture5_optim",
         "lecture6_tensorboard"]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="short runs (300 steps each) to see everything work")
    args, rest = p.parse_known_args()
    for name in STEPS:
        print(f"\n===== {name} =====", flush=True)
        sys.argv = [name] + (["--steps", "300"] if args.quick else []) + rest
        runpy.run_module(f"demos.{name}", run_name="__main__")


if __name__ == "__main__":
    main()
