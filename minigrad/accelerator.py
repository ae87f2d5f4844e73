"""torch.accelerator for a CPU-only library: no accelerator is ever available, so code written for one (e.g.
`torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"`) picks the CPU."""

_NONE = "minigrad has no accelerator (it computes on the CPU only); check minigrad.accelerator.is_available() first"


def is_available():
    """False: there is no accelerator."""
    return False


def current_accelerator(check_available=False):
    """None: there is no accelerator (torch's answer in a CPU-only build)."""
    return None


def device_count():
    """0 accelerator devices."""
    return 0


def current_device_index():
    """There is no accelerator device to index: RuntimeError."""
    raise RuntimeError(_NONE)


def set_device_index(device, /):
    """There is no accelerator device to select: RuntimeError."""
    raise RuntimeError(_NONE)


def synchronize(device=None, /):
    """There is no accelerator to wait for: RuntimeError."""
    raise RuntimeError(_NONE)
