"""Devices: minigrad computes on the CPU only; asking for anything else is a clear error."""


class device:
    """A device spec with torch's interface; only 'cpu' is accepted."""

    def __init__(self, spec="cpu", index=None):
        spec = spec.type if isinstance(spec, device) else str(spec)
        if spec.split(":")[0] != "cpu":
            raise RuntimeError(f"minigrad runs on the CPU only; device '{spec}' is not available. "
                               "Use device='cpu' (or run the PyTorch side of parity/ for CUDA).")
        self.type, self.index = "cpu", None

    def __repr__(self):
        return "device(type='cpu')"

    def __str__(self):
        return "cpu"

    def __eq__(self, other):
        return str(other) == "cpu" if isinstance(other, (str, device)) else NotImplemented

    __hash__ = object.__hash__


def set_default_device(spec):
    """Accept 'cpu' (the only device); anything else raises."""
    device(spec)


class cuda:
    """Stand-in for torch.cuda: there is no GPU backend."""

    @staticmethod
    def is_available():
        """Always False: minigrad has no CUDA backend."""
        return False

    @staticmethod
    def device_count():
        """Always 0."""
        return 0
