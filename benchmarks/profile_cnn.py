"""Where a lecture-CNN training step spends its time: cProfile of minigrad's step in CPU time, numpy imported first.

python -m benchmarks.profile_cnn [batch] [steps]: the unprofiled CPU time per step, the profiled own time per
source file, then the top functions by own and by cumulative time. CPU time (not wall) so that other processes
on a shared machine do not count; run with OPENBLAS_NUM_THREADS=1 to keep BLAS worker threads out of it.
"""
import collections
import cProfile
import pstats
import sys
import time

import numpy as np  # noqa: F401  (the lecture's import order: numpy first)

from benchmarks.bench_core import _cnn_step


def main(batch=64, steps=50):
    """Profile `steps` SGD-momentum steps of the lecture CNN at `batch`."""
    import minigrad
    run = _cnn_step(minigrad, batch, steps)
    run()  # warm caches (window slices, allocator)
    t0 = time.process_time()
    run()
    print(f"batch {batch}: {(time.process_time() - t0) / steps * 1e3:.2f} ms CPU per step, unprofiled")
    prof = cProfile.Profile(time.process_time)
    prof.runcall(run)
    stats = pstats.Stats(prof)
    by_file = collections.Counter()
    for (path, _, _), (_, _, own, _, _) in stats.stats.items():
        by_file["numpy C calls" if path == "~" else path.split("/minigrad/")[-1].split("/site-packages/")[-1]] += own
    total = sum(by_file.values())
    print(f"profiled: {total / steps * 1e3:.2f} ms per step (the profiler inflates Python-heavy code); own time by file:")
    for path, own in by_file.most_common(15):
        print(f"  {100 * own / total:5.1f}%  {path}")
    stats.strip_dirs().sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
