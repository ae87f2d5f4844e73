"""python -m benchmarks [--quick] [--only NAME ...]: minigrad vs PyTorch, same process, same data, interleaved.

Each workload runs once to warm up, then the two engines alternate for --repeats rounds; the table shows the
median time of each and the minigrad/PyTorch ratio (below 1 means minigrad is faster).
"""
import argparse
import statistics
import time

from . import bench_core, bench_data


def measure(fn_m, fn_t, repeats):
    """Median seconds of fn_m and fn_t, run alternately after one warm-up each."""
    fn_m(), fn_t()
    tm, tt = [], []
    for _ in range(repeats):
        for fn, acc in ((fn_m, tm), (fn_t, tt)):
            t0 = time.perf_counter()
            fn()
            acc.append(time.perf_counter() - t0)
    return statistics.median(tm), statistics.median(tt)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="small sizes and few repeats (seconds; for CI)")
    p.add_argument("--repeats", type=int, default=None)
    p.add_argument("--only", nargs="*", help="run only workloads whose name contains one of these")
    args = p.parse_args(argv)
    repeats = args.repeats or (2 if args.quick else 5)
    rows = []

    def wanted(name):
        return not args.only or any(o in name for o in args.only)
    print(f"{'workload':58s} {'minigrad':>10s} {'torch':>10s} {'ratio':>7s}")
    for name, unit, fn_m, fn_t in bench_core.workloads(args.quick):
        if wanted(name):
            m, t = measure(fn_m, fn_t, repeats)
            rows.append(dict(name=name, minigrad_s=m, torch_s=t, ratio=m / t))
            print(f"{name:58s} {m:9.4f}s {t:9.4f}s {m / t:6.2f}x   {unit}", flush=True)
    if wanted("6. lecture train loader (data)"):
        rows += bench_data.run(args.quick)
    if wanted("7. import time and peak RSS"):
        for r in bench_core.process_costs(args.quick):
            rows.append(r)
            print(f"{r['name']:58s} {r['minigrad']:10.3f} {r['torch']:10.3f} {r['ratio']:6.2f}x   {r['unit']}")
    return rows


if __name__ == "__main__":
    main()
