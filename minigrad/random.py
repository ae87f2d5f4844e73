"""Random number generation: a Generator with torch's interface over numpy's PCG64."""
import numpy as np

from . import _checks
from .device import device as _device


class Generator:
    """A seedable source of random numbers (torch.Generator's interface)."""

    def __init__(self, device="cpu"):
        _device(device)  # minigrad's error for anything but the CPU
        self._seed = int(np.random.SeedSequence().entropy % (2 ** 63))
        self.rng = np.random.default_rng(self._seed)

    def manual_seed(self, seed):
        """Reseed (an int in [-2**63, 2**64), negatives wrapping as in torch); returns self like torch."""
        if not _checks._is_int(seed):
            raise RuntimeError(f"manual_seed expected a long, but got {_checks.typename(seed)}")
        if not -2 ** 63 <= seed < 2 ** 64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = int(seed) % 2 ** 64
        self.rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self):
        """The seed last set."""
        return self._seed

    def seed(self):
        """Reseed from fresh entropy and return the new seed."""
        return self.manual_seed(int(np.random.SeedSequence().entropy % (2 ** 63))).initial_seed()

    def get_state(self):
        """The generator's state (a dict)."""
        return self.rng.bit_generator.state

    def set_state(self, state):
        """Restore a state from get_state()."""
        self.rng.bit_generator.state = state


default_generator = Generator()


def manual_seed(seed):
    """Seed the default generator (with int(seed), as torch does)."""
    return default_generator.manual_seed(int(seed))


def seed():
    """Reseed the default generator from entropy."""
    return default_generator.seed()


def initial_seed():
    """The default generator's seed."""
    return default_generator.initial_seed()


def _gen(generator):
    """The numpy Generator behind `generator` (the default one when None)."""
    if generator is not None and not isinstance(generator, Generator):
        raise TypeError(f"argument 'generator' must be minigrad.Generator, not {_checks.typename(generator)}")
    return (generator or default_generator).rng
