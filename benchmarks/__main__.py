"""python -m benchmarks [--quick] [--only NAME ...]: minigrad vs PyTorch, same process, same data, interleaved.

numpy is imported first, as in the lecture. Each workload runs once to warm up, then the two engines alternate
for --repeats rounds; the table shows the median time of each and the minigrad/PyTorch ratio (below 1 means
minigrad is faster). Rows needing the FashionMNIST copy are skipped, with the reason, when it is missing.
A/B of two minigrad source trees: python -m benchmarks.ab OLD NEW.
"""
import numpy as np  # first, as the lecture's first cell: minigrad must get its settings whatever came before

import argparse  # noqa: E402
import contextlib  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402


def measure(fn_m, fn_t, repeats, bar=None):
    """Median seconds of fn_m and fn_t, run alternately after one warm-up each."""
    fn_m(), fn_t()
    tm, tt = [], []
    for _ in range(repeats):
        for fn, acc in ((fn_m, tm), (fn_t, tt)):
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
        if bar:
            bar.update(1)
    return statistics.median(tm), statistics.median(tt)


def header(torch):
    """The lines that say what this run measured with."""
    import minigrad
    from minigrad import _runtime
    return [f"import order: numpy, then minigrad, then torch (as the lecture); {os.cpu_count()} cores",
            f"numpy {np.__version__}, minigrad {minigrad.__version__} from {os.path.dirname(minigrad.__file__)}, "
            f"torch {torch.__version__}",
            f"minigrad: {_runtime.STATUS['blas']}; mallopt {'on' if _runtime.STATUS['mallopt'] else 'off'}",
            f"torch: {torch.get_num_threads()} intra-op threads (its default)"]


def show(r):
    """Print one row of the table."""
    if "skipped" in r:
        print(f"{r['name']:58s} skipped: {r['skipped']}", flush=True)
    elif "minigrad_s" in r:
        print(f"{r['name']:58s} {r['minigrad_s']:9.4f}s {r['torch_s']:9.4f}s {r['ratio']:6.2f}x   {r.get('unit', '')}",
              flush=True)
    else:
        print(f"{r['name']:58s} {r['minigrad']:10.3f} {r['torch']:10.3f} {r['ratio']:6.2f}x   {r['unit']}", flush=True)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="small sizes and few repeats (seconds; for CI)")
    p.add_argument("--repeats", type=int, default=None)
    p.add_argument("--only", nargs="*", help="run only workloads whose name contains one of these")
    args = p.parse_args(argv)
    try:
        import torch
    except ImportError:
        sys.exit('python -m benchmarks compares minigrad with PyTorch, which is not installed: '
                 'pip install "minigrad[parity]"')
    from minigrad.utils.progress import Progress

    from . import bench_core, bench_data, bench_epoch, bench_gpt
    repeats = args.repeats or (2 if args.quick else 5)
    rows = []

    def wanted(name):
        return not args.only or any(o in name for o in args.only)

    def add(new):
        for r in new:
            rows.append(r)
            show(r)
    print("\n".join(header(torch)))
    print(f"{'workload':58s} {'minigrad':>10s} {'torch':>10s} {'ratio':>7s}")
    for name, unit, fn_m, fn_t in bench_core.workloads(args.quick):
        if wanted(name):
            with Progress(repeats, desc=name[:2] + " rounds") if not args.quick else contextlib.nullcontext() as bar:
                m, t = measure(fn_m, fn_t, repeats, bar)
            add([dict(name=name, minigrad_s=m, torch_s=t, ratio=m / t, unit=unit)])
    if wanted("6. lecture train loader (data)"):
        add(bench_data.run(args.quick))
    if wanted("7. import time and peak RSS"):
        add(bench_core.process_costs(args.quick))
    if wanted("8. lecture-6 demo epoch training"):
        add([bench_epoch.run(args.quick)])
    if wanted("9. GPT demo training"):
        add([bench_gpt.run(args.quick)])
    return rows


if __name__ == "__main__":
    main()
