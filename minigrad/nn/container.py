"""Containers: Sequential (chains modules) and ModuleList (a registered list of modules)."""
import operator
from collections import OrderedDict
from collections.abc import Iterable

from .. import _checks
from .module import Module


class _Container(Module):
    """What Sequential and ModuleList share: len, iteration, indexing and append."""

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def _key(self, idx):
        idx = operator.index(idx)  # torch's TypeError for a str or float index
        if not -len(self) <= idx < len(self):
            raise IndexError(f"index {idx} is out of range")
        return list(self._modules)[idx]

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return self._from_items(list(self._modules.items())[idx])
        return self._modules[self._key(idx)]

    def __setitem__(self, idx, module):
        setattr(self, self._key(idx), module)

    def append(self, module):
        """Add module at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self


class Sequential(_Container):
    """Run modules in order, feeding each one's output to the next."""

    def __init__(self, *args):
        super().__init__()
        named = args[0].items() if len(args) == 1 and isinstance(args[0], OrderedDict) else enumerate(args)
        for name, m in named:
            self.add_module(str(name), m)

    def _from_items(self, items):  # a slice keeps the original names, as in torch
        return type(self)(OrderedDict(items))

    def forward(self, input):
        for m in self._modules.values():
            input = m(input)
        return input


class ModuleList(_Container):
    """A list of modules whose parameters the parent module sees."""

    def __init__(self, modules=None):
        super().__init__()
        self.extend(modules or [])

    def _from_items(self, items):  # a slice renumbers from 0
        return type(self)(m for _, m in items)

    def __iadd__(self, modules):
        return self.extend(modules)

    def extend(self, modules):
        """Append every module of an iterable; returns self."""
        if not isinstance(modules, Iterable):
            raise TypeError(f"ModuleList.extend should be called with an iterable, but got {_checks.typename(modules)}")
        for m in modules:
            self.append(m)
        return self

    def insert(self, index, module):
        """Insert module before index."""
        mods = list(self._modules.values())
        mods.insert(index, module)
        self._modules.clear()
        self.extend(mods)
