"""SummaryWriter: torch.utils.tensorboard's writer, on the tensorboard package's event-file writer alone."""
import os
import pathlib
import socket
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from google.protobuf import text_format
from tensorboard.compat.proto.event_pb2 import Event, SessionLog, TaggedRunMetadata
from tensorboard.plugins.projector.projector_config_pb2 import EmbeddingInfo, ProjectorConfig
from tensorboard.summary.writer.event_file_writer import EventFileWriter

from . import summary as S


class SummaryWriter:
    """Writes scalars, images, histograms, figures, text, PR curves, embeddings, hparams and graphs for TensorBoard."""

    def __init__(self, log_dir=None, comment="", purge_step=None, max_queue=10, flush_secs=120, filename_suffix=""):
        if not log_dir:
            log_dir = os.path.join("runs", datetime.now().strftime("%b%d_%H-%M-%S") + "_" + socket.gethostname() + comment)
        self.log_dir, self.purge_step = str(log_dir), purge_step
        self.max_queue, self.flush_secs, self.filename_suffix = max_queue, flush_secs, filename_suffix
        self.file_writer = self.all_writers = None
        self._event_files = []  # every EventFileWriter opened and not yet closed
        self._get_file_writer()
        self._projector_config = ProjectorConfig()  # every embedding logged: each add_embedding rewrites it whole
        self._encoder, self._encoding = ThreadPoolExecutor(1), []  # figures' PNGs: a thread, the pending ones
        # a writer dropped without close(), or alive at exit, still gets its queued events to disk; the
        # finalizer holds the event files only, never self (that would keep the writer alive forever)
        weakref.finalize(self, _close_all, self._event_files)

    def _get_file_writer(self):
        """The main event-file writer; a closed writer reopens on a new event file, as in torch."""
        if self.file_writer is None:
            self.file_writer = EventFileWriter(self.log_dir, self.max_queue, self.flush_secs, self.filename_suffix)
            self.all_writers = {self.log_dir: self.file_writer}
            self._event_files.append(self.file_writer)
            if self.purge_step is not None:
                # TensorBoard hides earlier-written events at steps >= a restarted session's step
                self.file_writer.add_event(Event(step=self.purge_step, file_version="brain.Event:2"))
                self.file_writer.add_event(Event(step=self.purge_step, session_log=SessionLog(status=SessionLog.START)))
                self.purge_step = None
        return self.file_writer

    def _add(self, summary, global_step=None, walltime=None, writer=None, **event):
        self._encoded()  # events reach the file in call order
        (writer or self._get_file_writer()).add_event(_event(summary, global_step, walltime, **event))

    def _encoded(self):
        """Wait for the figures being encoded (re-raising an encoder's error)."""
        while self._encoding:
            self._encoding.pop(0).result()

    def get_logdir(self):
        """The directory the event files go to."""
        return self.log_dir

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None):
        """Log one number (Python number, 1-element array or tensor) under tag."""
        self._add(S.scalar(tag, scalar_value), global_step, walltime)

    def add_scalars(self, main_tag, tag_scalar_dict, global_step=None, walltime=None):
        """Log several numbers in one chart: each goes to its own run, log_dir/<main_tag>_<tag>."""
        root = self._get_file_writer().get_logdir()
        for tag, value in tag_scalar_dict.items():
            sub = root + "/" + main_tag.replace("/", "_") + "_" + tag
            if sub not in self.all_writers:
                self.all_writers[sub] = EventFileWriter(sub, self.max_queue, self.flush_secs, self.filename_suffix)
                self._event_files.append(self.all_writers[sub])
            self._add(S.scalar(main_tag, value), global_step, walltime, self.all_writers[sub])

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None):
        """Log the histogram of values (TensorFlow's default buckets unless bins says otherwise)."""
        self._add(S.histogram(tag, values, bins), global_step, walltime)

    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW"):
        """Log an image: float in [0, 1] or uint8, laid out as dataformats (CHW, HWC, HW)."""
        self._add(S.image(tag, img_tensor, dataformats), global_step, walltime)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW"):
        """Log a batch of images tiled into one grid (8 per row)."""
        self._add(S.image(tag, img_tensor, dataformats), global_step, walltime)

    def add_figure(self, tag, figure, global_step=None, close=True, walltime=None):
        """Log a matplotlib figure (or a list of them, as a grid), closing it unless close=False."""
        fmt, img, event = "NCHW" if isinstance(figure, list) else "CHW", S.figure_to_image(figure, close), \
            _event(None, global_step, walltime)  # stamped now, written when encoded
        # a big figure's PNG takes as long as drawing it: a thread writes it (zlib lets go of the GIL) while
        # training goes on; the pixels are this call's own render, so nothing changes them meanwhile
        self._encoding.append(self._encoder.submit(self._add_encoded, event, tag, img, fmt, self._get_file_writer()))

    def _add_encoded(self, event, tag, img, fmt, writer):  # a method: the writer outlives its figures' encoding
        event.summary.CopyFrom(S.image(tag, img, fmt))
        writer.add_event(event)

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

    def add_graph(self, model, input_to_model=None):
        """Log the model's autograd graph from one forward pass, with modules as name scopes."""
        from .graph import graph
        graph_def, run_metadata = graph(model, input_to_model)
        self._add(None, graph_def=graph_def.SerializeToString())
        self._add(None, tagged_run_metadata=TaggedRunMetadata(tag="step1", run_metadata=run_metadata.SerializeToString()))

    def add_embedding(self, mat, metadata=None, label_img=None, global_step=None, tag="default", metadata_header=None):
        """Log rows of mat for the projector, with optional labels (metadata) and thumbnails (label_img, NCHW)."""
        mat, label_img = S.to_np(mat), None if label_img is None else S.to_np(label_img)
        if mat.ndim != 2:
            raise ValueError(f"add_embedding: mat should be 2D (points x features), got shape {mat.shape}")
        if metadata is not None and len(metadata) != mat.shape[0]:
            raise ValueError(f"add_embedding: #labels should equal with #data points: {len(metadata)} metadata "
                             f"entries for {mat.shape[0]} rows")
        if label_img is not None and (label_img.ndim != 4 or label_img.shape[:2] not in ((len(mat), 1), (len(mat), 3))):
            raise ValueError(f"add_embedding: label_img must be NCHW with 1 or 3 channels and one image per row of "
                             f"mat ({len(mat)}), got shape {label_img.shape}")
        step = str(0 if global_step is None else global_step).zfill(5)
        subdir = step + "/" + tag.replace("%", "%25").replace("/", "%2f").replace("\\", "%5c")
        root = pathlib.Path(self._get_file_writer().get_logdir())
        S.write_embedding(root / subdir, mat, metadata, label_img, metadata_header)
        info = EmbeddingInfo(tensor_name=f"{tag}:{step}", tensor_path=subdir + "/tensors.tsv",
                             metadata_path="" if metadata is None else subdir + "/metadata.tsv")
        if label_img is not None:
            info.sprite.image_path = subdir + "/sprite.png"
            info.sprite.single_image_dim.extend([label_img.shape[3], label_img.shape[2]])
        self._projector_config.embeddings.append(info)
        (root / "projector_config.pbtxt").write_text(text_format.MessageToString(self._projector_config))

    def flush(self):
        """Write pending events of every event file to disk."""
        self._encoded()
        for w in (self.all_writers or {}).values():
            w.flush()

    def close(self):
        """Flush and close the event files; later add_* calls open new ones."""
        self._encoded()
        _close_all(self._event_files)
        self.file_writer = self.all_writers = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _event(summary, global_step, walltime, **event):
    step = 0 if global_step is None else int(global_step)  # proto3: step 0 is the same as no step
    return Event(wall_time=time.time() if walltime is None else walltime, step=step, summary=summary, **event)


def _close_all(event_files):
    """Flush and close event files (EventFileWriter.close flushes first and may be called twice)."""
    for w in event_files:
        w.close()
    event_files.clear()
