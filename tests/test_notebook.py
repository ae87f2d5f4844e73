"""demos/lecture.ipynb runs top to bottom on minigrad (a short training cell) with no error cell."""
import json
import os
import sys

import pytest

from conftest import ROOT, fashion_mnist_root

NOTEBOOK = ROOT / "demos" / "lecture.ipynb"


def test_notebook_is_stored_without_outputs():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    sources = ["".join(c["source"]) for c in code]
    assert not any("import torch" in s for s in sources)  # minigrad under the lecture's names, in every cell
    assert any("%tensorboard --logdir runs" in s for s in sources)


def test_notebook_runs_without_error_cells(tmp_path, monkeypatch):  # ~15 s: not marked slow
    nbformat = pytest.importorskip("nbformat", reason='needs pip install -e ".[dev]" (nbclient, ipykernel)')
    nbclient = pytest.importorskip("nbclient", reason='needs pip install -e ".[dev]" (nbclient, ipykernel)')
    pytest.importorskip("tensorboard", reason='needs pip install "minigrad[tensorboard]"')
    monkeypatch.setenv("MINIGRAD_DATA", fashion_mnist_root())
    monkeypatch.setenv("MINIGRAD_NOTEBOOK_STEPS", "200")
    monkeypatch.setenv("PATH", os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))  # tensorboard
    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on the first error cell; shutting the kernel down ends TensorBoard
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs)
    assert "Result: y = " in text and "Finished Training" in text and "train: 100%" in text
    (magic,) = [c for c in nb.cells if "%tensorboard" in c.source]
    shown = json.dumps([o.get("data", o.get("text")) for o in magic.outputs])
    assert "ERROR" not in shown and "tensorboard-frame" in shown  # it launched a server and shows its page
    assert (tmp_path / "runs" / "fashion_mnist_experiment_1").is_dir()
