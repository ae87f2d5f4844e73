"""Build TensorBoard Summary protos and projector files from numpy data, as torch.utils.tensorboard writes them."""
import io
import math
import os

import numpy as np
from tensorboard.compat.proto.summary_pb2 import HistogramProto, Summary, SummaryMetadata
from tensorboard.compat.proto.tensor_pb2 import TensorProto
from tensorboard.compat.proto.tensor_shape_pb2 import TensorShapeProto


def to_np(x):
    """x (minigrad tensor, ndarray, Python number or list) as an ndarray; numbers become shape (1,) like torch."""
    if isinstance(x, np.ndarray):
        return x
    if hasattr(x, "detach"):
        return x.detach().numpy()
    return np.array([x]) if np.isscalar(x) else np.asarray(x)


def _meta(plugin, content=b""):
    return SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name=plugin, content=content))


def _shape(dims):
    return TensorShapeProto(dim=[TensorShapeProto.Dim(size=d) for d in dims])


def scalar(tag, value, new_style=False, double_precision=False):
    """A scalar summary: simple_value, or a one-element tensor for new_style."""
    v = to_np(value).squeeze()
    if v.ndim != 0:
        raise ValueError(f"add_scalar: Tensor should contain one element (0 dimensions). Was given size: {v.size} "
                         f"and {v.ndim} dimensions.")
    v = float(v)
    if not new_style:
        return Summary(value=[Summary.Value(tag=tag, simple_value=v)])
    t = TensorProto(double_val=[v], dtype="DT_DOUBLE") if double_precision else TensorProto(float_val=[v], dtype="DT_FLOAT")
    return Summary(value=[Summary.Value(tag=tag, tensor=t, metadata=_meta("scalars"))])


def tensorflow_bins():
    """TensorFlow's default histogram edges: +-1e-12 growing by 10% up to 1e20, and 0 (the same floats as torch)."""
    v, pos = 1e-12, []
    while v < 1e20:
        pos.append(v)
        v *= 1.1
    return [-x for x in pos[::-1]] + [0] + pos


def histogram(tag, values, bins, max_bins=None):
    """A histogram summary keeping the buckets from one empty bucket before the first filled one to the last filled."""
    x = to_np(values).astype(float).reshape(-1)
    if x.size == 0:
        raise ValueError("add_histogram: The input has no element.")
    counts, limits = np.histogram(x, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        k = len(counts) // max_bins
        counts = np.pad(counts, (0, -len(counts) % k)).reshape(-1, k).sum(1)
        limits = np.append(limits[:-1:k], limits[-1])
    filled = np.flatnonzero(counts)
    if filled.size == 0:
        raise ValueError("add_histogram: no value falls inside the bins (values must be finite and within range)")
    # padded bucket j ends at limits[j]; the leading 0 is the empty bucket TensorBoard expects first
    s, e = filled[0], filled[-1] + 2
    counts, limits = np.concatenate([[0], counts])[s:e], limits[s:e]
    h = HistogramProto(min=x.min(), max=x.max(), num=x.size, sum=x.sum(), sum_squares=x.dot(x),
                       bucket_limit=limits.tolist(), bucket=counts.tolist())
    return Summary(value=[Summary.Value(tag=tag, histo=h)])


def make_grid(imgs, ncols=8):
    """Tile NCHW images (1 or 3 channels) row-major into one 3-channel CHW image, as torch's tensorboard does."""
    if imgs.ndim != 4 or imgs.shape[1] not in (1, 3):
        raise ValueError(f"a batch of images must be NCHW with 1 or 3 channels, got shape {imgs.shape}")
    if imgs.shape[1] == 1:
        imgs = np.repeat(imgs, 3, 1)
    n, _, h, w = imgs.shape
    ncols = min(n, ncols)
    nrows = -(-n // ncols)
    canvas = np.zeros((3, h * nrows, w * ncols), imgs.dtype)
    for i in range(n):
        r, c = divmod(i, ncols)
        canvas[:, r * h:(r + 1) * h, c * w:(c + 1) * w] = imgs[i]
    return canvas


def to_hwc(a, dataformats):
    """Reorder an image (or NCHW batch, tiled into a grid) to HWC with 3 or 4 channels."""
    fmt = dataformats.upper()
    if sorted(fmt) not in (sorted("NCHW"), sorted("CHW"), sorted("HW")):
        raise ValueError(f"dataformats must be a permutation of 'NCHW', 'CHW' or 'HW', got {dataformats!r}")
    if a.ndim != len(fmt):
        raise ValueError(f"size of input tensor and input format are different. tensor shape: {a.shape}, "
                         f"input_format: {dataformats}")
    a = a.transpose([fmt.index(c) for c in "NCHW" if c in fmt])
    a = make_grid(a) if a.ndim == 4 else a if a.ndim == 3 else a[None]
    if not 1 <= a.shape[0] <= 4 or 0 in a.shape:
        raise ValueError(f"an image needs 1 to 4 channels (L, LA, RGB, RGBA) and nonzero height and width, got CHW "
                         f"shape {a.shape}")
    return np.repeat(a, 3, 0).transpose(1, 2, 0) if a.shape[0] == 1 else a.transpose(1, 2, 0)


def png(hwc):
    """PNG bytes of a uint8 HWC array."""
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(hwc).save(buf, format="PNG")
    return buf.getvalue()


def image(tag, img, dataformats="CHW"):
    """An image summary: uint8 data as is, anything else scaled by 255, clipped to [0, 255], PNG-encoded."""
    a = to_hwc(to_np(img), dataformats)
    a = (a.astype(np.float32) * (1 if a.dtype == np.uint8 else 255)).clip(0, 255).astype(np.uint8)
    h, w, c = a.shape
    return Summary(value=[Summary.Value(tag=tag, image=Summary.Image(height=h, width=w, colorspace=c,
                                                                     encoded_image_string=png(a)))])


def figure_to_image(figures, close=True):
    """Render a matplotlib figure (or list of them) with the Agg canvas to CHW (or NCHW) uint8 RGB."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def render(fig):
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        w, h = fig.canvas.get_width_height()
        rgb = np.frombuffer(canvas.buffer_rgba(), np.uint8).reshape(h, w, 4)[:, :, :3].transpose(2, 0, 1)
        if close:
            plt.close(fig)
        return rgb
    return np.stack([render(f) for f in figures]) if isinstance(figures, list) else render(figures)


def text(tag, string):
    """A text summary under tag + '/text_summary', as torch names it."""
    from tensorboard.plugins.text.plugin_data_pb2 import TextPluginData
    t = TensorProto(dtype="DT_STRING", string_val=[string.encode("utf_8")], tensor_shape=_shape([1]))
    meta = _meta("text", TextPluginData(version=0).SerializeToString())
    return Summary(value=[Summary.Value(tag=tag + "/text_summary", metadata=meta, tensor=t)])


def pr_curve(tag, labels, predictions, num_thresholds=127, weights=None):
    """A PR-curve summary: a 6 x num_thresholds tensor of TP, FP, TN, FN, precision, recall per threshold."""
    from tensorboard.plugins.pr_curve.plugin_data_pb2 import PrCurvePluginData
    labels, predictions = to_np(labels), to_np(predictions)
    if labels.shape != predictions.shape:
        raise ValueError(f"add_pr_curve: labels and predictions must have the same shape, got {labels.shape} "
                         f"and {predictions.shape}")
    if not np.all((predictions >= 0) & (predictions <= 1)):
        raise ValueError("add_pr_curve: predictions must be probabilities in [0, 1]")
    n = min(num_thresholds, 127)
    w = 1.0 if weights is None else to_np(weights)
    bucket = np.int32(np.floor(predictions * (n - 1)))
    pos = labels.astype(np.float64)
    tp = np.histogram(bucket, bins=n, range=(0, n - 1), weights=pos * w)[0][::-1].cumsum()[::-1]
    fp = np.histogram(bucket, bins=n, range=(0, n - 1), weights=(1.0 - pos) * w)[0][::-1].cumsum()[::-1]
    tn, fn = fp[0] - fp, tp[0] - tp
    data = np.stack([tp, fp, tn, fn, tp / np.maximum(1e-7, tp + fp), tp / np.maximum(1e-7, tp + fn)])
    t = TensorProto(dtype="DT_FLOAT", float_val=data.reshape(-1).tolist(), tensor_shape=_shape(data.shape))
    meta = _meta("pr_curves", PrCurvePluginData(version=0, num_thresholds=n).SerializeToString())
    return Summary(value=[Summary.Value(tag=tag, metadata=meta, tensor=t)])


def hparams(hparam_dict, metric_dict, domains=None):
    """The experiment, session-start and session-end summaries of the hparams plugin."""
    from google.protobuf import struct_pb2
    from tensorboard.plugins.hparams import metadata as M
    from tensorboard.plugins.hparams.api_pb2 import Experiment, HParamInfo, MetricInfo, MetricName
    from tensorboard.plugins.hparams.plugin_data_pb2 import HParamsPluginData, SessionEndInfo, SessionStartInfo
    domains = domains or {}
    if not isinstance(domains, dict):
        raise TypeError("parameter: hparam_domain_discrete should be a dictionary, nothing logged.")
    for k, v in domains.items():
        if k not in hparam_dict or not isinstance(v, list) or not all(isinstance(d, type(hparam_dict[k])) for d in v):
            raise TypeError(f"parameter: hparam_domain_discrete[{k}] should be a list of same type as hparam_dict[{k}].")
    infos, start = [], SessionStartInfo()
    for k, v in hparam_dict.items():
        if v is None:
            continue
        if hasattr(v, "detach") or isinstance(v, (np.ndarray, np.generic)):
            v = to_np(v).reshape(-1)[0].item()
        # bool is an int, so (like torch) bools are logged as numbers
        if not isinstance(v, (int, float, str)):
            raise ValueError(f"hparam {k!r}: value should be one of int, float, str, bool, or a tensor, got {type(v)}")
        kind = ("string", "STRING") if isinstance(v, str) else ("number", "FLOAT64")
        setattr(start.hparams[k], kind[0] + "_value", v)
        dom = struct_pb2.ListValue(values=[struct_pb2.Value(**{kind[0] + "_value": d}) for d in domains[k]]) \
            if k in domains else None
        infos.append(HParamInfo(name=k, type="DATA_TYPE_" + kind[1], domain_discrete=dom))
    exp = Experiment(hparam_infos=infos, metric_infos=[MetricInfo(name=MetricName(tag=k)) for k in metric_dict])

    def wrap(tag, **part):
        data = HParamsPluginData(version=M.PLUGIN_DATA_VERSION, **part).SerializeToString()
        return Summary(value=[Summary.Value(tag=tag, metadata=_meta(M.PLUGIN_NAME, data))])
    return (wrap(M.EXPERIMENT_TAG, experiment=exp), wrap(M.SESSION_START_INFO_TAG, session_start_info=start),
            wrap(M.SESSION_END_INFO_TAG, session_end_info=SessionEndInfo(status="STATUS_SUCCESS")))


def write_embedding(path, mat, metadata, label_img, metadata_header):
    """Write tensors.tsv, metadata.tsv and sprite.png of one embedding into the folder path."""
    with open(os.path.join(path, "tensors.tsv"), "wb") as f:
        f.write("".join("\t".join(map(str, row)) + "\n" for row in mat.tolist()).encode())
    if metadata is not None:
        rows = [str(m) for m in metadata] if not metadata_header else \
            ["\t".join(map(str, r)) for r in [metadata_header] + list(metadata)]
        with open(os.path.join(path, "metadata.tsv"), "wb") as f:
            f.write(("\n".join(rows) + "\n").encode())
    if label_img is not None:
        grid = make_grid(label_img, math.ceil(label_img.shape[0] ** 0.5))
        square = np.zeros((grid.shape[2], grid.shape[2], 3))
        square[:grid.shape[1]] = grid.transpose(1, 2, 0)
        # torch scales sprites by 255 whatever their dtype (uint8 too); done the same for identical sprites
        with open(os.path.join(path, "sprite.png"), "wb") as f:
            f.write(png(np.uint8((square * 255).clip(0, 255))))
