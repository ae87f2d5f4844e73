"""SummaryWriter parity: minigrad and torch.utils.tensorboard write the same inputs; TensorBoard's reader compares them."""
import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

import minigrad
from demos.lecture_net import make_net

torch = pytest.importorskip("torch")
pytest.importorskip("tensorboard")
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402
from tensorboard.backend.event_processing.event_accumulator import DEFAULT_SIZE_GUIDANCE, EventAccumulator  # noqa
from tensorboard.backend.event_processing.event_file_loader import EventFileLoader  # noqa: E402
from tensorboard.util.tensor_util import make_ndarray  # noqa: E402
from torch.utils.tensorboard import SummaryWriter as TorchWriter  # noqa: E402

from minigrad.utils.tensorboard import SummaryWriter  # noqa: E402

LIBS = (("minigrad", SummaryWriter, minigrad), ("torch", TorchWriter, torch))


def load(d):
    """TensorBoard's own reader over a run directory, keeping every event."""
    ea = EventAccumulator(str(d), size_guidance={k: 0 for k in DEFAULT_SIZE_GUIDANCE})
    ea.Reload()
    return ea


def write_both(tmp, fn):
    """Run fn(writer, lib) once with minigrad's writer and once with torch's; return the two run directories."""
    dirs = []
    for name, W, lib in LIBS:
        d = Path(tmp) / name
        with W(str(d)) as w:
            fn(w, lib)
        dirs.append(d)
    return dirs


def both(tmp, fn):
    """write_both, read back with EventAccumulator."""
    return [load(d) for d in write_both(tmp, fn)]


def pixels(img_event):
    """Decoded RGB(A) pixels of an image event."""
    return np.asarray(Image.open(io.BytesIO(img_event.encoded_image_string)))


def plugin(ea, tag):
    md = ea.SummaryMetadata(tag).plugin_data
    return md.plugin_name, md.content


# ---------------------------------------------------------------- scalars

def test_add_scalar_every_value_kind(tmp_path):
    def fn(w, lib):
        w.add_scalar("loss", 1.5, 0)
        w.add_scalar("loss", np.float32(0.25), 1)
        w.add_scalar("loss", np.array([[2.0]]), 2)
        w.add_scalar("loss", lib.tensor(3.25), 3)
        w.add_scalar("loss", lib.tensor([4.5]), 4)
        w.add_scalar("int", 7)
    mg, pt = both(tmp_path, fn)
    assert sorted(mg.Tags()["scalars"]) == sorted(pt.Tags()["scalars"]) == ["int", "loss"]
    for tag in ("loss", "int"):
        assert [(e.step, e.value) for e in mg.Scalars(tag)] == [(e.step, e.value) for e in pt.Scalars(tag)]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.floats(allow_nan=False, width=32), min_size=1, max_size=20), st.integers(0, 10**6))
def test_add_scalar_values_and_steps(tmp_path_factory, values, start):
    def fn(w, lib):
        for i, v in enumerate(values):
            w.add_scalar("y", lib.tensor(v) if i % 2 else v, start + i)
    mg, pt = both(tmp_path_factory.mktemp("s"), fn)
    assert [(e.step, e.value) for e in mg.Scalars("y")] == [(e.step, e.value) for e in pt.Scalars("y")]


def test_add_scalars_writes_one_run_per_tag(tmp_path):
    def fn(w, lib):
        for i in range(3):
            w.add_scalars("run/14h", {"xsinx": i * np.sin(i), "xcosx": lib.tensor(float(i))}, i)
    mgd, ptd = write_both(tmp_path, fn)
    subs = sorted(p.name for p in mgd.iterdir() if p.is_dir())
    assert subs == sorted(p.name for p in ptd.iterdir() if p.is_dir()) == ["run_14h_xcosx", "run_14h_xsinx"]
    for s in subs:
        a, b = load(mgd / s), load(ptd / s)
        assert a.Tags()["scalars"] == b.Tags()["scalars"] == ["run/14h"]
        assert [(e.step, e.value) for e in a.Scalars("run/14h")] == [(e.step, e.value) for e in b.Scalars("run/14h")]


# ---------------------------------------------------------------- histograms

def hist_fields(ea, tag):
    return [(e.step, e.histogram_value) for e in ea.Histograms(tag)]


finite = st.floats(-1e6, 1e6, allow_nan=False, width=32)


@settings(max_examples=40, deadline=None)
@given(arrays(np.float32, st.integers(1, 60), elements=finite), st.sampled_from(["tensorflow", "auto", 7]))
def test_add_histogram_buckets(tmp_path_factory, values, bins):
    def fn(w, lib):
        w.add_histogram("h", lib.tensor(values), 3, bins=bins)
        w.add_histogram("h", values * 2, 4, bins=bins)
    mg, pt = both(tmp_path_factory.mktemp("h"), fn)
    assert hist_fields(mg, "h") == hist_fields(pt, "h")


def test_add_histogram_bin_count_and_number(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=1000)

    def fn(w, lib):
        w.add_histogram("w", lib.tensor(x), 0)
        w.add_histogram("w", x, 1, bins=100)
        w.add_histogram("one", 3.0, 0)
    mg, pt = both(tmp_path, fn)
    assert hist_fields(mg, "w") == hist_fields(pt, "w") and hist_fields(mg, "one") == hist_fields(pt, "one")
    assert len(mg.Histograms("w")[0].histogram_value.bucket) > 10


# ---------------------------------------------------------------- images and figures

def test_add_image_formats_and_scaling(tmp_path):
    rng = np.random.default_rng(1)
    chw = rng.uniform(-0.2, 1.2, (3, 10, 12)).astype(np.float32)
    hwc8 = rng.integers(0, 256, (9, 7, 3), dtype=np.uint8)
    rgba = rng.uniform(0, 1, (4, 5, 6))
    grey = rng.uniform(0, 1, (1, 6, 5))
    hw = rng.uniform(0, 1, (8, 4))
    batch = rng.uniform(-1, 1, (11, 1, 28, 28)).astype(np.float32)

    def fn(w, lib):
        w.add_image("chw", lib.tensor(chw), 0)
        w.add_image("hwc8", lib.tensor(hwc8), 1, dataformats="HWC")
        w.add_image("rgba", rgba, 2)
        w.add_image("grey", lib.tensor(grey), 3)
        w.add_image("la", rgba[:2], 3)
        w.add_image("hw", hw, 4, dataformats="HW")
        w.add_image("wh", hw.T.copy(), 4, dataformats="WH")
        w.add_images("batch", lib.tensor(batch), 5)
        w.add_images("nhwc", batch.transpose(0, 2, 3, 1).copy(), 6, dataformats="NHWC")
        w.add_images("rgbbatch", lib.tensor(np.repeat(batch[:3], 3, 1) / 2 + 0.5), 7)
    mg, pt = both(tmp_path, fn)
    assert sorted(mg.Tags()["images"]) == sorted(pt.Tags()["images"])
    for tag in pt.Tags()["images"]:
        (a,), (b,) = mg.Images(tag), pt.Images(tag)
        assert (a.step, a.width, a.height) == (b.step, b.width, b.height)
        np.testing.assert_array_equal(pixels(a), pixels(b))
    assert (mg.Images("batch")[0].width, mg.Images("batch")[0].height) == (8 * 28, 2 * 28)


def test_lecture_grid_image(tmp_path):
    """The lecture's add_image of a make_grid of normalized images (values in [-1, 1])."""
    grid = np.random.default_rng(2).uniform(-1, 1, (3, 32, 122)).astype(np.float32)
    mg, pt = both(tmp_path, lambda w, lib: w.add_image("four_fashion_mnist_images", lib.tensor(grid)))
    np.testing.assert_array_equal(pixels(mg.Images("four_fashion_mnist_images")[0]),
                                  pixels(pt.Images("four_fashion_mnist_images")[0]))


def make_figure(seed):
    fig = plt.figure(figsize=(3, 2))
    ax = fig.add_subplot(1, 2, 1, xticks=[], yticks=[])
    ax.imshow(np.random.default_rng(seed).uniform(size=(8, 8)), cmap="Greys")
    ax.set_title("Coat, 91.0%\n(label: Coat)", color="green")
    fig.add_subplot(1, 2, 2).plot([0, 1, 2], [2, 0, 1])
    return fig


def test_add_figure_renders_and_closes(tmp_path):
    figs, kept = {}, {}

    def fn(w, lib):
        figs[lib], kept[lib] = [make_figure(0), make_figure(1), make_figure(2)], make_figure(3)
        w.add_figure("fig", figs[lib][0], 9)
        w.add_figure("figs", figs[lib][1:], 10)
        w.add_figure("kept", kept[lib], 11, close=False)
    mg, pt = both(tmp_path, fn)
    for tag in ("fig", "figs", "kept"):
        a, b = mg.Images(tag)[0], pt.Images(tag)[0]
        assert (a.step, a.width, a.height) == (b.step, b.width, b.height)
        np.testing.assert_array_equal(pixels(a), pixels(b))
    assert not any(plt.fignum_exists(f.number) for f in figs[minigrad])
    assert plt.fignum_exists(kept[minigrad].number)
    plt.close(kept[minigrad])
    plt.close(kept[torch])



def test_figures_encoded_by_a_thread_keep_call_order_and_outlive_a_dropped_writer(tmp_path):
    """add_figure returns before its PNG is written; events still reach the file in call order, and a writer
    dropped right after (no close) writes its figures before its finalizer closes the file."""
    code = ("import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt, os, weakref\n"
            "from minigrad.utils.tensorboard import SummaryWriter\n"
            "def log(d):\n"
            "    w = SummaryWriter(d)\n"
            "    for step in range(3):\n"
            "        w.add_figure('fig', plt.figure(figsize=(4, 3)), step)\n"
            "        w.add_scalar('loss', step / 2, step)\n"
            "    w.add_figure('last', plt.figure(figsize=(4, 3)), 3)\n"
            "    return weakref.ref(w)\n"
            f"ref = log({str(tmp_path)!r})\n"
            "import time; start = time.time()\n"
            "while ref() is not None and time.time() < start + 60:\n"  # alive while its figures are encoded
            "    time.sleep(0.01)\n"
            "os._exit(0 if ref() is None else 1)\n")  # skip exit handlers: only the drop may have written
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])
    order = [(e.step, e.summary.value[0].tag) for f in Path(tmp_path).glob("events.out.tfevents.*")
             for e in EventFileLoader(str(f)).Load() if e.WhichOneof("what") == "summary"]
    assert order == [(s, t) for s in range(3) for t in ("fig", "loss")] + [(3, "last")]
    assert load(tmp_path).Images("last")[0].height == 300

# ---------------------------------------------------------------- text, pr curves, hparams

def test_add_text(tmp_path):
    def fn(w, lib):
        w.add_text("notes", "**lr** = 0.001, 中文", 2)
        w.add_text("notes", "second", 3)
    mg, pt = both(tmp_path, fn)
    tag = "notes/text_summary"
    assert mg.Tags()["tensors"] == pt.Tags()["tensors"] == [tag]
    assert [(e.step, e.tensor_proto) for e in mg.Tensors(tag)] == [(e.step, e.tensor_proto) for e in pt.Tensors(tag)]
    assert plugin(mg, tag) == plugin(pt, tag)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 80).flatmap(lambda n: st.tuples(
    arrays(np.bool_, n), arrays(np.float32, n, elements=st.floats(0, 1, width=32)),
    arrays(np.float64, n, elements=st.floats(0, 3)))), st.sampled_from([127, 200, 10]), st.booleans())
def test_add_pr_curve(tmp_path_factory, data, num_thresholds, weighted):
    labels, preds, weights = data

    def fn(w, lib):
        w.add_pr_curve("class", lib.tensor(labels), lib.tensor(preds), 0, num_thresholds=num_thresholds,
                       weights=weights if weighted else None)
    mg, pt = both(tmp_path_factory.mktemp("pr"), fn)
    a, b = mg.Tensors("class")[0], pt.Tensors("class")[0]
    assert a.step == b.step and a.tensor_proto.tensor_shape == b.tensor_proto.tensor_shape
    np.testing.assert_array_equal(make_ndarray(a.tensor_proto), make_ndarray(b.tensor_proto))
    assert plugin(mg, "class") == plugin(pt, "class")


def test_add_pr_curve_lecture_style(tmp_path):
    """The lecture's call: a bool tensor of truths against a column of softmax probabilities, step 0."""
    rng = np.random.default_rng(3)
    probs = rng.dirichlet(np.ones(10), 500).astype(np.float32)
    label = rng.integers(0, 10, 500)

    def fn(w, lib):
        p, lab = lib.tensor(probs), lib.tensor(label)
        for c in range(10):
            w.add_pr_curve(str(c), lab == c, p[:, c], global_step=0)
    mg, pt = both(tmp_path, fn)
    for c in map(str, range(10)):
        np.testing.assert_array_equal(make_ndarray(mg.Tensors(c)[0].tensor_proto),
                                      make_ndarray(pt.Tensors(c)[0].tensor_proto))


def test_add_hparams(tmp_path):
    def fn(w, lib):
        w.add_hparams({"lr": 0.01, "bsize": 4, "opt": "sgd", "nesterov": True, "skip": None, "m": lib.tensor([0.9])},
                      {"hparam/accuracy": 0.8, "hparam/loss": lib.tensor(0.3)},
                      hparam_domain_discrete={"opt": ["sgd", "adam"], "bsize": [4, 8]}, run_name="trial")
    mgd, ptd = write_both(tmp_path, fn)
    a, b = load(mgd / "trial"), load(ptd / "trial")
    assert sorted(a.Tags()["tensors"]) == sorted(b.Tags()["tensors"])
    for tag in b.Tags()["tensors"]:
        assert plugin(a, tag) == plugin(b, tag)
    for tag in ("hparam/accuracy", "hparam/loss"):
        assert [(e.step, e.value) for e in a.Scalars(tag)] == [(e.step, e.value) for e in b.Scalars(tag)]


# ---------------------------------------------------------------- embeddings

def test_add_embedding_files(tmp_path):
    rng = np.random.default_rng(4)
    feats = rng.normal(size=(10, 5)).astype(np.float32)
    imgs8 = rng.integers(0, 256, (10, 1, 6, 6), dtype=np.uint8)  # like the lecture's trainset.data rows
    rgb = rng.uniform(size=(7, 3, 4, 5)).astype(np.float32)
    labels = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"]

    def fn(w, lib):
        w.add_embedding(lib.tensor(feats), metadata=labels, label_img=lib.tensor(imgs8))
        w.add_embedding(lib.tensor(imgs8.reshape(10, -1)), metadata=list(range(10)), global_step=3, tag="a/b%c")
        w.add_embedding(rgb.reshape(7, -1), metadata=[[i, f"n{i}"] for i in range(7)], label_img=lib.tensor(rgb),
                        metadata_header=["idx", "name"], global_step=12345)
        w.add_embedding(feats[:2], tag="plain", global_step=1)
    mgd, ptd = write_both(tmp_path, fn)
    files = sorted(str(p.relative_to(ptd)) for p in ptd.rglob("*") if p.is_file() and "events" not in p.name)
    assert files == sorted(str(p.relative_to(mgd)) for p in mgd.rglob("*") if p.is_file() and "events" not in p.name)
    assert len(files) == 10
    for f in files:
        if f.endswith(".png"):
            np.testing.assert_array_equal(np.asarray(Image.open(mgd / f)), np.asarray(Image.open(ptd / f)))
        else:
            assert (mgd / f).read_bytes() == (ptd / f).read_bytes(), f


# ---------------------------------------------------------------- writer life cycle

def test_default_log_dir_and_comment(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pattern = r"runs/[A-Z][a-z]{2}\d{2}_\d{2}-\d{2}-\d{2}_" + re.escape(socket.gethostname()) + "_lr0.1"
    for _, W, _ in LIBS:
        w = W(comment="_lr0.1")
        assert re.fullmatch(pattern, w.get_logdir().replace(os.sep, "/")), w.get_logdir()
        w.close()
    assert len(list((tmp_path / "runs").iterdir())) >= 1


def raw_events(d):
    """Every event of a run's files, wall times dropped, as (step, kind) pairs."""
    out = []
    numeric = lambda p: [int(x) if x.isdigit() else x for x in p.name.split(".")]  # noqa: E731
    for f in sorted(Path(d).glob("events.out.tfevents.*"), key=numeric):
        for e in EventFileLoader(str(f)).Load():
            kind = e.WhichOneof("what")
            out.append((e.step, kind, e.session_log.status if kind == "session_log" else None))
    return out


def test_purge_step_and_reopen_after_close(tmp_path):
    dirs = []
    for name, W, _ in LIBS:
        d = tmp_path / name
        w = W(str(d), purge_step=5)
        w.add_scalar("a", 1.0, 5)
        w.close()
        w.add_scalar("a", 2.0, 6)  # the lecture keeps writing after writer.close()
        w.close()
        dirs.append(d)
    assert raw_events(dirs[0]) == raw_events(dirs[1])
    assert len(list(dirs[0].glob("events.out.tfevents.*"))) == 2
    assert [e.value for e in load(dirs[0]).Scalars("a")] == [1.0, 2.0]


def test_flush_makes_events_readable(tmp_path):
    w = SummaryWriter(str(tmp_path), flush_secs=10_000, max_queue=1000)
    w.add_scalar("a", 1.0, 0)
    w.flush()
    assert [e.value for e in load(tmp_path).Scalars("a")] == [1.0]
    w.close()


LOG_25 = ("import numpy as np\nfrom minigrad.utils.tensorboard import SummaryWriter\n"
          "def log(d, **kw):\n"
          "    w = SummaryWriter(d, **kw)\n"
          "    for i in range(25):\n"
          "        w.add_scalar('loss', i / 2, i)\n"
          "        w.add_scalars('run', {'train': i, 'val': -i}, i)\n"
          "        w.add_histogram('h', np.array([float(i), i + 1.0]), i)\n"
          "        w.add_text('note', f'step {i}', i)\n"
          "        w.add_image('img', np.full((1, 1, 1), i / 25.0), i)\n"
          "    return w\n")


def all_25_logged(d):
    """Every event of every kind LOG_25 wrote is read back by TensorBoard's own reader."""
    ea = load(d)
    assert [(e.step, e.value) for e in ea.Scalars("loss")] == [(i, i / 2) for i in range(25)]
    assert [(e.step, e.histogram_value.max) for e in ea.Histograms("h")] == [(i, i + 1.0) for i in range(25)]
    assert [e.step for e in ea.Images("img")] == list(range(25))
    assert [e.tensor_proto.string_val[0].decode() for e in ea.Tensors("note/text_summary")] == \
        [f"step {i}" for i in range(25)]
    for tag, sign in (("train", 1), ("val", -1)):
        assert [(e.step, e.value) for e in load(d / f"run_{tag}").Scalars("run")] == [(i, sign * i) for i in range(25)]


def test_writer_dropped_without_close_loses_nothing(tmp_path):
    """Dropped in a function: the finalizer flushes while the process goes on (torch's writer loses ~5 of 25)."""
    code = LOG_25 + (
        "import json, sys, time, weakref\n"
        "from tensorboard.summary.writer.record_writer import RecordWriter\n"
        "write = RecordWriter.write\n"  # a slow disk: events are still queued when the writer is dropped
        "RecordWriter.write = lambda self, data: (time.sleep(0.005), write(self, data))[1]\n"
        f"ref = weakref.ref(log({str(tmp_path)!r}))\n"
        "dead = ref() is None\n"  # the finalizer must not keep the writer alive
        "from tensorboard.backend.event_processing.event_accumulator import EventAccumulator\n"
        f"ea = EventAccumulator({str(tmp_path)!r}); ea.Reload()\n"
        "print(json.dumps([dead, len(ea.Scalars('loss'))]))\n"
        "sys.stdout.flush(); import os; os._exit(0)\n")  # skip exit handlers: only the drop may have flushed
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [True, 25]
    all_25_logged(tmp_path)


def test_events_flushed_at_exit(tmp_path):
    code = LOG_25 + f"w = log({str(tmp_path)!r}, flush_secs=10_000, max_queue=1000)\n"  # alive, never closed
    subprocess.run([sys.executable, "-c", code], check=True)
    all_25_logged(tmp_path)


def test_import_minigrad_does_not_import_tensorboard():
    code = "import sys, minigrad; print(sorted(m for m in ('tensorboard', 'PIL', 'matplotlib', 'torch') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("call, words", [
    (lambda w, lib: w.add_scalar("s", lib.tensor([1.0, 2.0])), "one element"),
    (lambda w, lib: w.add_image("i", np.zeros((5, 4, 4))), "channels"),
    (lambda w, lib: w.add_image("i", np.zeros((4, 4, 5)), dataformats="HWC"), "channels"),
    (lambda w, lib: w.add_image("i", np.zeros((4, 4))), "input format"),
    (lambda w, lib: w.add_images("i", np.zeros((2, 2, 4, 4))), "channels"),
    (lambda w, lib: w.add_image("i", np.zeros((3, 4, 4)), dataformats="CHH"), "dataformats"),
    (lambda w, lib: w.add_pr_curve("p", lib.tensor([True, False]), lib.tensor([0.5, 0.2, 0.1])), "same shape"),
    (lambda w, lib: w.add_embedding(np.zeros((3, 2)), metadata=["a", "b"]), "#labels"),
    (lambda w, lib: w.add_embedding(np.zeros((3, 2)), label_img=np.zeros((2, 1, 4, 4))), "label_img"),
    (lambda w, lib: w.add_histogram("h", np.zeros(0)), "no element"),
])
def test_bad_input_raises_like_torch(tmp_path, call, words):
    for name, W, lib in LIBS:
        with W(str(tmp_path / name)) as w:
            if lib is minigrad:
                with pytest.raises(ValueError, match=re.escape(words)):
                    call(w, lib)
            else:
                with pytest.raises(Exception):
                    call(w, lib)


@pytest.mark.parametrize("call", [lambda w: w.add_scalar("s", None), lambda w: w.add_histogram("h", [1.0, 2.0]),
                                  lambda w: w.add_image("i", [[[0.5]]]), lambda w: w.add_embedding([[1.0]])])
def test_values_neither_array_nor_tensor_refused_like_torch(tmp_path, call):
    for name, W, lib in LIBS:
        with W(str(tmp_path / name)) as w:
            with pytest.raises(NotImplementedError, match="but numpy array or"):
                call(w)


def test_pr_curve_predictions_outside_unit_interval(tmp_path):
    with SummaryWriter(str(tmp_path)) as w, pytest.raises(ValueError, match=r"\[0, 1\]"):
        w.add_pr_curve("p", np.array([1, 0]), np.array([0.5, 1.5]))


# ---------------------------------------------------------------- add_graph

def lecture_nets():
    """The lecture's Net, built twice: in minigrad and in torch, same code."""
    mnn = pytest.importorskip("minigrad.nn")
    return [(minigrad, lecture_net(mnn)), (torch, lecture_net(torch.nn))]


def lecture_net(nn):
    """The lecture's Net on the nn module given."""
    return make_net(nn, nn.functional)()


def op_scopes(graph_def, op_filter):
    return {n.name.rpartition("/")[0] for n in graph_def.node if op_filter(n)}


def graph_of(d):
    ea = load(d)
    return ea.Graph(), ea.RunMetadata("step1")


def test_add_graph_lecture_net(tmp_path):
    x = np.random.default_rng(5).normal(size=(4, 1, 28, 28)).astype(np.float32)
    (mlib, mnet), (_, tnet) = lecture_nets()
    for (name, W, lib), net in zip(LIBS, (mnet, tnet)):
        with W(str(tmp_path / name)) as w:
            w.add_graph(net, lib.tensor(x))
    (g, meta), (tg, _) = graph_of(tmp_path / "minigrad"), graph_of(tmp_path / "torch")
    assert meta.step_stats.dev_stats[0].device == "/device:CPU:0"
    ours = op_scopes(g, lambda n: n.op not in ("IO Node", "Parameter"))
    theirs = op_scopes(tg, lambda n: n.op.startswith("aten::"))
    assert ours == theirs == {"Net", "Net/Conv2d[conv1]", "Net/MaxPool2d[pool]", "Net/Conv2d[conv2]",
                              "Net/Linear[fc1]", "Net/Linear[fc2]", "Net/Linear[fc3]"}
    by_name = {n.name: n for n in g.node}
    params = {n.name for n in g.node if n.op == "Parameter"}
    assert params == {f"Net/{t}[{m}]/{p}" for t, m in [("Conv2d", "conv1"), ("Conv2d", "conv2"), ("Linear", "fc1"),
                                                         ("Linear", "fc2"), ("Linear", "fc3")] for p in ("weight", "bias")}
    shape = lambda n: [d.size for d in n.attr["_output_shapes"].list.shape[0].dim]  # noqa: E731
    assert shape(by_name["input/input.0"]) == [4, 1, 28, 28] and shape(by_name["Net/Conv2d[conv1]/weight"]) == [6, 1, 5, 5]
    out = by_name["output/output.0"]
    assert shape(out) == [4, 10] and out.input[0].startswith("Net/Linear[fc3]/")
    # every op node has a shape and its inputs exist; the conv ops see the input and their parameters
    for n in g.node:
        assert all(i in by_name for i in n.input)
        if n.op not in ("IO Node",):
            assert shape(n), n.name
    convs = [n for n in g.node if n.name.startswith("Net/Conv2d[conv1]/") and n.op != "Parameter"]
    assert any("input/input.0" in n.input for n in convs)
    assert any(shape(n) == [4, 6, 24, 24] for n in convs)
    assert mnet.training  # add_graph runs in eval mode and restores the mode


def test_add_graph_sequential_scopes_match_torch(tmp_path):
    mnn = pytest.importorskip("minigrad.nn")
    x = np.random.default_rng(6).normal(size=(2, 3)).astype(np.float32)
    graphs = []
    for (name, W, lib), nn in zip(LIBS, (mnn, torch.nn)):
        model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 4), nn.Tanh()), nn.Linear(4, 2))
        with W(str(tmp_path / name)) as w:
            w.add_graph(model, lib.tensor(x))
        graphs.append(graph_of(tmp_path / name)[0])
    ours = op_scopes(graphs[0], lambda n: n.op not in ("IO Node", "Parameter"))
    theirs = op_scopes(graphs[1], lambda n: n.op.startswith("aten::"))
    assert ours == theirs and "Sequential/Sequential[2]/Linear[0]" in ours


# ---------------------------------------------------------------- end to end: a real TensorBoard server

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
        return json.loads(r.read())


@pytest.mark.slow
def test_tensorboard_server_serves_minigrad_logs(tmp_path):
    (_, net), _ = lecture_nets()
    rng = np.random.default_rng(7)
    with SummaryWriter(str(tmp_path / "exp")) as w:
        w.add_scalar("training loss", 0.5, 999)
        w.add_image("grid", rng.uniform(size=(3, 8, 8)))
        w.add_pr_curve("Coat", rng.integers(0, 2, 50), rng.uniform(size=50), 0)
        w.add_embedding(rng.normal(size=(6, 3)), metadata=list("abcdef"))
        w.add_graph(net, minigrad.tensor(rng.normal(size=(1, 1, 28, 28)).astype(np.float32)))
    port = free_port()
    tb = Path(sys.executable).with_name("tensorboard")
    proc = subprocess.Popen([str(tb), "--logdir", str(tmp_path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, tags = time.monotonic() + 120, None
        while time.monotonic() < deadline:
            try:
                tags = get_json(port, "/data/plugin/scalars/tags")
                if "exp" in tags:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert "training loss" in tags["exp"]
        assert "grid" in get_json(port, "/data/plugin/images/tags")["exp"]
        assert "Coat" in get_json(port, "/data/plugin/pr_curves/tags")["exp"]
        assert get_json(port, "/data/plugin/graphs/info")["exp"]["run_graph"]
        assert "exp" in get_json(port, "/data/plugin/projector/runs")
    finally:
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------- the lecture step 6 demo

@pytest.mark.slow
def test_lecture6_demo_logs_every_tag(tmp_path):
    from conftest import ROOT, data_root
    logdir = tmp_path / "runs" / "fashion_mnist_experiment_1"
    out = subprocess.run([sys.executable, str(ROOT / "demos" / "lecture6_tensorboard.py"), "--data", str(data_root()),
                          "--logdir", str(logdir), "--steps", "300", "--seed", "1"],
                         capture_output=True, text=True, timeout=1800, env={**os.environ, "MPLBACKEND": "Agg"})
    assert out.returncode == 0, out.stderr[-3000:]
    assert "test accuracy:" in out.stdout and str(logdir) in out.stdout and "tensorboard --logdir" in out.stdout
    ea = load(logdir)
    tags = ea.Tags()
    assert sorted(tags["images"]) == ["four_fashion_mnist_images", "predictions vs. actuals"]
    assert tags["scalars"] == ["training loss"] and [e.step for e in ea.Scalars("training loss")] == [299]
    assert tags["graph"] and tags["run_metadata"] == ["step1"]
    classes = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle Boot']
    assert sorted(tags["tensors"]) == sorted(classes)
    assert all(plugin(ea, c)[0] == "pr_curves" for c in classes)
    config = (logdir / "projector_config.pbtxt").read_text()
    assert 'tensor_name: "default:00000"' in config and "sprite.png" in config
    assert len((logdir / "00000" / "default" / "metadata.tsv").read_text().splitlines()) == 100
    assert len((logdir / "00000" / "default" / "tensors.tsv").read_text().splitlines()) == 100
