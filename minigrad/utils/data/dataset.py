"""Map-style datasets with torch.utils.data's API: Dataset, TensorDataset, Subset, ConcatDataset, random_split."""
import bisect
import itertools
import math
import warnings

import minigrad


class Dataset:
    """Base class of map-style datasets: subclasses define __getitem__ and __len__."""

    def __getitem__(self, index):
        raise NotImplementedError("Subclasses of Dataset should implement __getitem__.")

    def __add__(self, other):
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Samples are tuples of the given tensors indexed along their first dimension."""

    def __init__(self, *tensors):
        if any(t.shape[0] != tensors[0].shape[0] for t in tensors):
            raise AssertionError("Size mismatch between tensors")  # torch asserts
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The samples of `dataset` at `indices`, in that order."""

    def __init__(self, dataset, indices):
        self.dataset, self.indices = dataset, indices

    def __getitem__(self, index):
        return self.dataset[self.indices[index]]

    def __len__(self):
        return len(self.indices)


class ConcatDataset(Dataset):
    """Several datasets one after another."""

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise AssertionError("datasets should not be an empty iterable")  # torch asserts
        self.cumulative_sizes = list(itertools.accumulate(len(d) for d in self.datasets))

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, idx):
        if -idx > len(self):
            raise ValueError("absolute value of index should not exceed dataset length")
        idx = idx + len(self) if idx < 0 else idx
        d = bisect.bisect_right(self.cumulative_sizes, idx)  # past the end: IndexError here, as in torch
        return self.datasets[d][idx - ([0] + self.cumulative_sizes)[d]]


def random_split(dataset, lengths, generator=None):
    """Split `dataset` into random non-overlapping Subsets of the given lengths (or fractions summing to 1)."""
    n = len(dataset)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:
        for i, frac in enumerate(lengths):
            if not 0 <= frac <= 1:
                raise ValueError(f"Fraction at index {i} is not between 0 and 1")
        floors = [math.floor(n * frac) for frac in lengths]  # the remainder: one each to the first ones, like torch
        lengths = [k + (i < n - sum(floors)) for i, k in enumerate(floors)]
        for i in (i for i, k in enumerate(lengths) if k == 0):
            warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.", stacklevel=2)
    for i, k in enumerate(lengths):  # torch would hand out overlapping, wrongly sized subsets here
        if k < 0:
            raise ValueError(f"Length of split at index {i} is negative: {k}")
    if sum(lengths) != n:
        raise ValueError("Sum of input lengths does not equal the length of the input dataset!")
    perm = minigrad.randperm(n, generator=generator).tolist()
    return [Subset(dataset, perm[end - k:end]) for end, k in zip(itertools.accumulate(lengths), lengths)]
