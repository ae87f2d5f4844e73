"""A missing optional extra explains itself: the error names the pip command that installs it."""
import subprocess
import sys

import pytest

from conftest import ROOT


def run_hiding(modules, code):
    """Run code in a fresh interpreter where importing any of modules fails, as when it is not installed."""
    hide = "import sys\n" + "".join(f"sys.modules[{m!r}] = None\n" for m in modules)
    return subprocess.run([sys.executable, "-c", hide + code], cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("hidden", [["tensorboard"], ["google", "google.protobuf"]])
def test_summary_writer_without_tensorboard_names_the_extra(hidden):
    out = run_hiding(hidden, "from minigrad.utils.tensorboard import SummaryWriter")
    assert out.returncode == 1
    assert 'ImportError: minigrad.utils.tensorboard needs the tensorboard package: pip install "minigrad[tensorboard]"' \
        in out.stderr


def test_core_and_progress_import_without_any_extra():
    out = run_hiding(["tensorboard", "google", "torch", "matplotlib", "PIL"],
                     "import minigrad, minigrad.nn, minigrad.optim, minigrad.vision\n"
                     "from minigrad.utils.progress import progress\nprint(sum(progress(range(3))))")
    assert out.returncode == 0, out.stderr
    assert out.stdout == "3\n"
