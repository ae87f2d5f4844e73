"""Build TensorBoard Summary protos and projector files from numpy data, as torch.utils.tensorboard writes them."""
import functools
import math
import struct
import zlib

import numpy as np
from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary, SummaryMetadata
from tensorboard.compat.proto.tensor_pb2 import TensorProto
from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto

import minigrad
from ...vision.utils import make_grid as _vision_grid


def to_np(x):
    """x (minigrad tensor, ndarray or number) as an ndarray; numbers become shape (1,) like torch (which refuses
    lists, None and other objects too)."""
    if hasattr(x, "detach"):
        return x.detach().numpy()
    if np.isscalar(x) or isinstance(x, np.ndarray):
        return np.array([x]) if np.isscalar(x) else x
    raise NotImplementedError(f"Got {type(x)}, but numpy array or minigrad tensor are expected.")


def _summary(tag, plugin=None, content=b"", **value):
    """A Summary holding one value under tag, marked for the named TensorBoard plugin."""
    meta = plugin and SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name=plugin, content=content))
    return Summary(value=[Summary.Value(tag=tag, metadata=meta, **value)])


def _shape(dims):
    return TensorShapeProto(dim=[TensorShapeProto.Dim(size=d) for d in dims])


def scalar(tag, value):
    """A scalar summary of a one-element value."""
    v = to_np(value).squeeze()
    if v.ndim != 0:
        raise ValueError(f"add_scalar: Tensor should contain one element (0 dimensions). Was given size: {v.size} "
                         f"and {v.ndim} dimensions.")
    return _summary(tag, simple_value=float(v))


@functools.lru_cache(None)
def tensorflow_bins():
    """TensorFlow's default histogram edges: +-1e-12 growing by 10% up to 1e20, and 0 (the same floats as torch)."""
    pos = np.cumprod([1e-12] + [1.1] * 800)  # multiplied one by one, as torch's loop does: the same floats
    return np.concatenate([-pos[pos < 1e20][::-1], [0], pos[pos < 1e20]])


def histogram(tag, values, bins):
    """A histogram summary keeping the buckets from one empty bucket before the first filled one to the last filled."""
    x = to_np(values).astype(float).reshape(-1)
    if x.size == 0:
        raise ValueError("add_histogram: The input has no element.")
    counts, limits = np.histogram(x, bins=tensorflow_bins() if isinstance(bins, str) and bins == "tensorflow" else bins)
    filled = np.flatnonzero(counts)
    if filled.size == 0:
        raise ValueError("add_histogram: no value falls inside the bins (values must be finite and within range)")
    # padded bucket j ends at limits[j]; the leading 0 is the empty bucket TensorBoard expects first
    s, e = filled[0], filled[-1] + 2
    counts, limits = np.concatenate([[0], counts])[s:e], limits[s:e]
    return _summary(tag, histo=HistogramProto(min=x.min(), max=x.max(), num=x.size, sum=x.sum(), sum_squares=x.dot(x),
                                              bucket_limit=limits.tolist(), bucket=counts.tolist()))


def make_grid(imgs, ncols=8):
    """Tile NCHW images row-major into one CHW image without padding, as torch's tensorboard does (1 channel -> 3)."""
    return _vision_grid(minigrad.from_numpy(np.ascontiguousarray(imgs)), nrow=ncols, padding=0).numpy()


def to_hwc(a, dataformats):
    """Reorder an image (or NCHW batch, tiled into a grid) to HWC with 3 or 4 channels."""
    fmt = dataformats.upper()
    if sorted(fmt) not in (sorted("NCHW"), sorted("CHW"), sorted("HW")):
        raise ValueError(f"dataformats must be a permutation of 'NCHW', 'CHW' or 'HW', got {dataformats!r}")
    if a.ndim != len(fmt):
        raise ValueError(f"size of input tensor and input format are different. tensor shape: {a.shape}, "
                         f"input_format: {dataformats}")
    a = a.transpose([fmt.index(c) for c in "NCHW" if c in fmt])
    channels = a.shape[-3] if a.ndim > 2 else 1
    if channels not in ((1, 3) if a.ndim == 4 else (1, 2, 3, 4)) or 0 in a.shape:
        raise ValueError(f"an image needs 1 to 4 channels (L, LA, RGB, RGBA; a batch 1 or 3) and nonzero height and "
                         f"width, got {'NCHW'[-a.ndim:]} shape {a.shape}")
    # a batch is tiled into one image; grey becomes RGB; other images are themselves (no copy of a big figure)
    return (make_grid(a) if a.ndim != 3 or channels == 1 else a).transpose(1, 2, 0)


def png(hwc):
    """PNG bytes of a uint8 HWC array (1 to 4 channels: L, LA, RGB, RGBA), written here: PIL's takes 3x longer."""
    h, w, c = hwc.shape
    rows = np.zeros((h, 1 + w * c), np.uint8)  # each row starts with its filter type: 0, none
    for k in range(c):  # a channel at a time: 5x faster than numpy's copy of 3-byte pixels out of a figure's RGBA
        rows[:, 1:].reshape(h, w, c)[:, :, k] = hwc[:, :, k]
    # zlib's run-length mode: a figure's long runs of one colour deflate fast, to a PNG 2x PIL's size
    idat = (z := zlib.compressobj(6, zlib.DEFLATED, 15, 9, zlib.Z_RLE)).compress(rows) + z.flush()
    head = struct.pack(">IIBBBBB", w, h, 8, (0, 4, 2, 6)[c - 1], 0, 0, 0)  # 8 bits, colour type by channels
    chunks = [(b"IHDR", head), (b"IDAT", idat), (b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d))
                                         for k, d in chunks)


def image(tag, img, dataformats="CHW"):
    """An image summary: uint8 data as is, anything else scaled by 255, clipped to [0, 255], PNG-encoded."""
    a = to_hwc(to_np(img), dataformats)
    if a.dtype != np.uint8:
        a = (a.astype(np.float32) * 255).clip(0, 255).astype(np.uint8)
    return _summary(tag, image=Summary.Image(height=a.shape[0], width=a.shape[1], colorspace=a.shape[2],
                                             encoded_image_string=png(a)))


def figure_to_image(figures, close=True):
    """Render a matplotlib figure (or list of them) with the Agg canvas to CHW (or NCHW) uint8 RGB."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def render(fig):
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        if close:
            plt.close(fig)
        return np.array(canvas.buffer_rgba())[:, :, :3].transpose(2, 0, 1)
    return np.stack([render(f) for f in figures]) if isinstance(figures, list) else render(figures)


def text(tag, string):
    """A text summary under tag + '/text_summary', as torch names it."""
    from tensorboard.plugins.text.plugin_data_pb2 import TextPluginData
    t = TensorProto(dtype="DT_STRING", string_val=[string.encode("utf_8")], tensor_shape=_shape([1]))
    return _summary(tag + "/text_summary", "text", TextPluginData(version=0).SerializeToString(), tensor=t)


def pr_curve(tag, labels, predictions, num_thresholds=127, weights=None):
    """A PR-curve summary: a 6 x num_thresholds tensor of TP, FP, TN, FN, precision, recall per threshold."""
    from tensorboard.plugins.pr_curve.plugin_data_pb2 import PrCurvePluginData
    labels, predictions = to_np(labels).astype(np.float64), to_np(predictions)
    if labels.shape != predictions.shape:
        raise ValueError(f"add_pr_curve: labels and predictions must have the same shape, got {labels.shape} "
                         f"and {predictions.shape}")
    if not np.all((predictions >= 0) & (predictions <= 1)):
        raise ValueError("add_pr_curve: predictions must be probabilities in [0, 1]")
    n, w = min(num_thresholds, 127), 1.0 if weights is None else to_np(weights)  # torch caps thresholds at 127
    bucket = np.int32(np.floor(predictions * (n - 1)))
    # counts at or above each threshold: reversed cumulative sums of the per-bucket (weighted) positives, negatives
    tp, fp = (np.histogram(bucket, bins=n, range=(0, n - 1), weights=y * w)[0][::-1].cumsum()[::-1]
              for y in (labels, 1.0 - labels))
    tn, fn = fp[0] - fp, tp[0] - tp
    data = np.stack([tp, fp, tn, fn, tp / np.maximum(1e-7, tp + fp), tp / np.maximum(1e-7, tp + fn)])
    t = TensorProto(dtype="DT_FLOAT", float_val=data.reshape(-1).tolist(), tensor_shape=_shape(data.shape))
    return _summary(tag, "pr_curves", PrCurvePluginData(version=0, num_thresholds=n).SerializeToString(), tensor=t)


def hparams(hparam_dict, metric_dict, domains=None):
    """The experiment, session-start and session-end summaries of the hparams plugin."""
    from google.protobuf import struct_pb2
    from tensorboard.plugins.hparams import metadata as M
    from tensorboard.plugins.hparams.api_pb2 import Experiment, HParamInfo, MetricInfo, MetricName
    from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData, SessionEndInfo, SessionStartInfo
    domains = domains or {}
    infos, start = [], SessionStartInfo()
    for k, v in hparam_dict.items():
        if v is None:
            continue
        if hasattr(v, "detach") or isinstance(v, (np.ndarray, np.generic)):
            v = to_np(v).reshape(-1)[0].item()
        # bool is an int, so (like torch) bools are logged as numbers
        if not isinstance(v, (int, float, str)):
            raise ValueError(f"hparam {k!r}: value should be one of int, float, str, bool, or a tensor, got {type(v)}")
        field, dtype = ("string_value", "STRING") if isinstance(v, str) else ("number_value", "FLOAT64")
        setattr(start.hparams[k], field, v)
        dom = struct_pb2.ListValue(values=[struct_pb2.Value(**{field: d}) for d in domains.get(k, [])])
        infos.append(HParamInfo(name=k, type="DATA_TYPE_" + dtype, domain_discrete=dom if k in domains else None))
    exp = Experiment(hparam_infos=infos, metric_infos=[MetricInfo(name=MetricName(tag=k)) for k in metric_dict])

    def wrap(tag, **part):
        data = HParamsPluginData(version=M.PLUGIN_DATA_VERSION, **part).SerializeToString()
        return _summary(tag, M.PLUGIN_NAME, data)
    return (wrap(M.EXPERIMENT_TAG, experiment=exp), wrap(M.SESSION_START_INFO_TAG, session_start_info=start),
            wrap(M.SESSION_END_INFO_TAG, session_end_info=SessionEndInfo(status="STATUS_SUCCESS")))


def write_embedding(path, mat, metadata, label_img, metadata_header):
    """Write tensors.tsv, metadata.tsv and sprite.png of one embedding into the folder path (a pathlib.Path)."""
    path.mkdir(parents=True, exist_ok=True)
    (path / "tensors.tsv").write_bytes("".join("\t".join(map(str, row)) + "\n" for row in mat.tolist()).encode())
    if metadata is not None:
        rows = ["\t".join(map(str, r)) for r in [metadata_header] + list(metadata)] if metadata_header else metadata
        (path / "metadata.tsv").write_bytes("".join(f"{r}\n" for r in rows).encode())
    if label_img is not None:
        grid = make_grid(label_img, math.ceil(label_img.shape[0] ** 0.5))
        square = np.zeros((grid.shape[2], grid.shape[2], 3))
        square[:grid.shape[1]] = grid.transpose(1, 2, 0)
        # torch scales sprites by 255 whatever their dtype (uint8 too); done the same for identical sprites
        (path / "sprite.png").write_bytes(png(np.uint8((square * 255).clip(0, 255))))
