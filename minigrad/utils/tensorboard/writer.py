"""SummaryWriter: torch.utils.tensorboard's writer, on the tensorboard package's event-file writer alone."""
import atexit
import os
import socket
import time
import weakref
from datetime import datetime

from tensorboard.compat.proto.event_pb2 import Event, SessionLog, TaggedRunMetadata
from tensorboard.summary.writer.event_file_writer import EventFileWriter

from . import summary as S


def _flush_at_exit(ref):
    w = ref()
    if w is not None:
        w.flush()


class SummaryWriter:
    """Writes scalars, images, histograms, figures, text, PR curves, embeddings, hparams and graphs for TensorBoard."""

    def __init__(self, log_dir=None, comment="", purge_step=None, max_queue=10, flush_secs=120, filename_suffix=""):
        if not log_dir:
            log_dir = os.path.join("runs", datetime.now().strftime("%b%d_%H-%M-%S") + "_" + socket.gethostname() + comment)
        self.log_dir, self.purge_step = str(log_dir), purge_step
        self.max_queue, self.flush_secs, self.filename_suffix = max_queue, flush_secs, filename_suffix
        self.file_writer = self.all_writers = None
        self._get_file_writer()
        self._bins = None
        atexit.register(_flush_at_exit, weakref.ref(self))

    def _new_file_writer(self, log_dir):
        return EventFileWriter(log_dir, self.max_queue, self.flush_secs, self.filename_suffix)

    def _get_file_writer(self):
        """The main event-file writer; a closed writer reopens on a new event file, as in torch."""
        if self.file_writer is None:
            self.file_writer = self._new_file_writer(self.log_dir)
            self.all_writers = {self.log_dir: self.file_writer}
            if self.purge_step is not None:
                # TensorBoard hides earlier-written events at steps >= a restarted session's step
                self.file_writer.add_event(Event(step=self.purge_step, file_version="brain.Event:2"))
                self.file_writer.add_event(Event(step=self.purge_step, session_log=SessionLog(status=SessionLog.START)))
                self.purge_step = None
        return self.file_writer

    def _add(self, summary, global_step=None, walltime=None, writer=None, **event):
        ev = Event(wall_time=time.time() if walltime is None else walltime, **event)
        if summary is not None:
            ev.summary.CopyFrom(summary)
        if global_step is not None:
            ev.step = int(global_step)
        (writer or self._get_file_writer()).add_event(ev)

    def get_logdir(self):
        """The directory the event files go to."""
        return self.log_dir

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, new_style=False, double_precision=False):
        """Log one number (Python number, 1-element array or tensor) under tag."""
        self._add(S.scalar(tag, scalar_value, new_style, double_precision), global_step, walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        """Log several numbers in one chart: each goes to its own run, log_dir/<main_tag>_<tag>."""
        walltime = time.time() if walltime is None else walltime
        root = self._get_file_writer().get_logdir()
        for tag, value in tag_scalar_dict.items():
            sub = root + "/" + main_tag.replace("/", "_") + "_" + tag
            if sub not in self.all_writers:
                self.all_writers[sub] = self._new_file_writer(sub)
            self._add(S.scalar(main_tag, value), global_step, walltime, self.all_writers[sub])

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None, max_bins=None):
        """Log the histogram of values (TensorFlow's default buckets unless bins says otherwise)."""
        if isinstance(bins, str) and bins == "tensorflow":
            self._bins = self._bins or S.tensorflow_bins()
            bins = self._bins
        self._add(S.histogram(tag, values, bins, max_bins), global_step, walltime)

    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        """Log an image: float in [0, 1] or uint8, laid out as dataformats (CHW, HWC, HW)."""
        self._add(S.image(tag, img_tensor, dataformats), global_step, walltime)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW"):
        """Log a batch of images tiled into one grid (8 per row)."""
        self._add(S.image(tag, img_tensor, dataformats), global_step, walltime)

    def add_figure(self, tag, figure, global_step=None, close=True, walltime=None):
        """Log a matplotlib figure (or a list of them, as a grid), closing it unless close=False."""
        fmt = "NCHW" if isinstance(figure, list) else "CHW"
        self.add_image(tag, S.figure_to_image(figure, close), global_step, walltime, dataformats=fmt)

    def add_text(self, tag, text_string, global_step=None, walltime=None):
        """Log a (markdown) string."""
        self._add(S.text(tag, text_string), global_step, walltime)

    def add_pr_curve(self, tag, labels, predictions, global_step=None, num_thresholds=127, weights=None, walltime=None):
        """Log a precision-recall curve of binary labels against predicted probabilities."""
        self._add(S.pr_curve(tag, labels, predictions, num_thresholds, weights), global_step, walltime)

    def add_hparams(self, hparam_dict, metric_dict, hparam_domain_discrete=None, run_name=None, global_step=None):
        """Log one hyperparameter set and its metrics into the sub-run log_dir/<run_name>."""
        if type(hparam_dict) is not dict or type(metric_dict) is not dict:
            raise TypeError("hparam_dict and metric_dict should be dictionary.")
        summaries = S.hparams(hparam_dict, metric_dict, hparam_domain_discrete)
        with SummaryWriter(os.path.join(self._get_file_writer().get_logdir(), run_name or str(time.time()))) as w:
            for s in summaries:
                w._add(s, global_step)
            for k, v in metric_dict.items():
                w.add_scalar(k, v, global_step)

    def add_graph(self, model, input_to_model=None, verbose=False, use_strict_trace=True):
        """Log the model's autograd graph from one forward pass, with modules as name scopes."""
        from .graph import graph
        graph_def, run_metadata = graph(model, input_to_model)
        if verbose:
            print(graph_def)
        self._add(None, graph_def=graph_def.SerializeToString())
        self._add(None, tagged_run_metadata=TaggedRunMetadata(tag="step1", run_metadata=run_metadata.SerializeToString()))

    def add_embedding(self, mat, metadata=None, label_img=None, global_step=None, tag="default", metadata_header=None):
        """Log rows of mat for the projector, with optional labels (metadata) and thumbnails (label_img, NCHW)."""
        from google.protobuf import text_format
        from tensorboard.plugins.projector.projector_config_pb2 import EmbeddingInfo, ProjectorConfig
        mat = S.to_np(mat)
        label_img = None if label_img is None else S.to_np(label_img)
        if mat.ndim != 2:
            raise ValueError(f"add_embedding: mat should be 2D (points x features), got shape {mat.shape}")
        if metadata is not None and len(metadata) != mat.shape[0]:
            raise ValueError(f"add_embedding: #labels should equal with #data points: {len(metadata)} metadata "
                             f"entries for {mat.shape[0]} rows")
        if metadata is not None and metadata_header and len(metadata_header) != len(metadata[0]):
            raise ValueError("add_embedding: len of header must be equal to the number of columns in metadata")
        if label_img is not None and (label_img.ndim != 4 or label_img.shape[0] != mat.shape[0]):
            raise ValueError(f"add_embedding: label_img must be NCHW with one image per row of mat "
                             f"({mat.shape[0]}), got shape {label_img.shape}")
        step = str(0 if global_step is None else global_step).zfill(5)
        subdir = step + "/" + tag.replace("%", "%25").replace("/", "%2f").replace("\\", "%5c")
        root = self._get_file_writer().get_logdir()
        path = os.path.join(root, subdir)
        if os.path.isdir(path):
            print("warning: Embedding dir exists, did you set global_step for add_embedding()?")
        elif os.path.exists(path):
            raise NotADirectoryError(f"Path: `{path}` exists, but is a file. Cannot proceed.")
        os.makedirs(path, exist_ok=True)
        S.write_embedding(path, mat, metadata, label_img, metadata_header)
        info = EmbeddingInfo(tensor_name=f"{tag}:{step}", tensor_path=subdir + "/tensors.tsv")
        if metadata is not None:
            info.metadata_path = subdir + "/metadata.tsv"
        if label_img is not None:
            info.sprite.image_path = subdir + "/sprite.png"
            info.sprite.single_image_dim.extend([label_img.shape[3], label_img.shape[2]])
        # the config lists every embedding this writer logged, so each call rewrites it whole
        if not hasattr(self, "_projector_config"):
            self._projector_config = ProjectorConfig()
        self._projector_config.embeddings.append(info)
        with open(os.path.join(root, "projector_config.pbtxt"), "wb") as f:
            f.write(text_format.MessageToString(self._projector_config).encode())

    def flush(self):
        """Write pending events of every event file to disk."""
        for w in (self.all_writers or {}).values():
            w.flush()

    def close(self):
        """Flush and close the event files; later add_* calls open new ones."""
        for w in (self.all_writers or {}).values():
            w.flush()
            w.close()
        self.file_writer = self.all_writers = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
