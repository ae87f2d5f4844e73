"""Bad inputs to the core ops (tensor.py, functions.py, nn.functional and layers), side by side with torch: the same
exception class (or warning category) and torch's key words. Runs with test_errors.py's machinery."""
import pytest

from test_errors import check_same_error, check_same_warning


def t(L, *shape):
    return L.torch.ones(*shape)


def ar(L, n, *shape):
    return L.torch.arange(float(n)).reshape(*shape) if shape else L.torch.arange(float(n))


def inplace_grow(L):
    x = t(L, 1)
    x += t(L, 3)


def leaf_inplace(L):
    x = L.torch.ones(2, requires_grad=True)
    x.mul_(2)


CASES = [
    ("add broadcast", lambda L: t(L, 3) + t(L, 4),
     ["The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0"]),
    ("sub broadcast", lambda L: t(L, 2, 3) - t(L, 4),
     ["The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"]),
    ("mul broadcast", lambda L: t(L, 3, 1) * t(L, 2, 1), ["The size of tensor a (3) must match the size of tensor b (2)"]),
    ("div broadcast", lambda L: t(L, 3) / t(L, 2), ["must match the size of tensor b (2)"]),
    ("where broadcast", lambda L: L.torch.where(t(L, 3) > 0, t(L, 3), t(L, 4)), ["must match the size of tensor"]),
    ("in-place grows", inplace_grow, ["output with shape [1] doesn't match the broadcast shape [3]"]),
    ("leaf in-place", leaf_inplace, ["a leaf Variable that requires grad is being used in an in-place operation."]),
    ("requires_grad_ str", lambda L: t(L, 2).requires_grad_("x"),
     ["requires_grad_(): argument 'requires_grad' (position 1) must be bool, not str"]),
    ("requires_grad_ int", lambda L: t(L, 2).requires_grad_(1), ["must be bool, not int"]),
    ("matmul mismatch", lambda L: t(L, 2, 3) @ t(L, 4, 5),
     ["mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"]),
    ("batched matmul mismatch", lambda L: t(L, 2, 2, 3) @ t(L, 3, 3, 4), ["must match the size of tensor b (3) at non-singleton dimension 0"]),
    ("matmul 0-d", lambda L: L.torch.tensor(1.0) @ t(L, 2), ["both arguments to matmul need to be at least 1D"]),
    ("Linear in_features", lambda L: L.nn.Linear(3, 2)(t(L, 4, 5)), ["mat1 and mat2 shapes cannot be multiplied (4x5 and 3x2)"]),
    ("NLLLoss target shape", lambda L: L.nn.NLLLoss()(t(L, 4, 3), L.torch.zeros(5, dtype=L.torch.int64)),
     ["Expected input batch_size (4) to match target batch_size (5)."]),
    ("CrossEntropyLoss target shape", lambda L: L.nn.CrossEntropyLoss()(t(L, 4, 3), L.torch.zeros(5, dtype=L.torch.int64)),
     ["Expected input batch_size (4) to match target batch_size (5)."]),
    ("CrossEntropyLoss weight length", lambda L: L.nn.CrossEntropyLoss(weight=t(L, 2))(t(L, 4, 3), L.torch.zeros(4, dtype=L.torch.int64)),
     ["weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]"]),
    ("NLLLoss float target", lambda L: L.nn.NLLLoss()(t(L, 4, 3), L.torch.zeros(4)), ["but got Float"]),
    ("CrossEntropyLoss class out of range", lambda L: L.nn.CrossEntropyLoss()(t(L, 2, 3), L.torch.tensor([0, 3])),
     ["Target 3 is out of bounds."]),
    ("BCELoss target size", lambda L: L.nn.BCELoss()(t(L, 4, 1) / 2, t(L, 4)),
     ["Using a target size (torch.Size([4])) that is different to the input size (torch.Size([4, 1])) is deprecated"]),
    ("sum repeated dim", lambda L: t(L, 2, 3).sum(dim=(0, 0)), ["dim 0 appears multiple times in the list of dims"]),
    ("chunk 0", lambda L: t(L, 4).chunk(0), ["chunk expects `chunks` to be greater than 0, got: 0"]),
    ("Conv2d stride 0", lambda L: L.nn.Conv2d(1, 1, 3, stride=0)(t(L, 1, 1, 5, 5)), ["non-positive stride is not supported"]),
    ("Conv2d channels", lambda L: L.nn.Conv2d(3, 1, 3)(t(L, 1, 1, 5, 5)),
     ["expected input[1, 1, 5, 5] to have 3 channels, but got 1 channels instead"]),
    ("Conv2d kernel too big", lambda L: L.nn.Conv2d(1, 1, 7)(t(L, 1, 1, 5, 5)), ["Kernel size can't be greater than actual input size"]),
    ("MaxPool2d 0", lambda L: L.nn.MaxPool2d(0)(t(L, 1, 1, 4, 4)), ["stride should not be zero"]),
    ("MaxPool2d too big", lambda L: L.nn.MaxPool2d(5)(t(L, 1, 1, 4, 4)), ["Output size is too small"]),
    ("gather index out of range", lambda L: t(L, 3).gather(0, L.torch.tensor([5])), ["index 5 is out of bounds for dimension 0 with size 3"]),
    ("gather rank mismatch", lambda L: t(L, 3, 2).gather(1, L.torch.tensor([0])),
     ["Index tensor must have the same number of dimensions as input tensor"]),
    ("gather float index", lambda L: t(L, 3).gather(0, L.torch.tensor([0.0])), ["gather(): Expected dtype int32/int64 for index"]),
    ("permute repeated", lambda L: t(L, 2, 3).permute(0, 0), ["permute(): duplicate dims are not allowed."]),
    ("permute wrong count", lambda L: t(L, 2, 3).permute(0), ["permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1"]),
    ("negative step slice", lambda L: t(L, 3)[::-1], ["step must be greater than zero"]),
    ("index out of range", lambda L: t(L, 3)[5], ["index 5 is out of bounds for dimension 0 with size 3"]),
    ("too many indices", lambda L: t(L, 3)[0, 0], ["too many indices for tensor of dimension 1"]),
    ("squeeze of 0-d", lambda L: L.torch.tensor(1.0).squeeze(10), ["Dimension out of range (expected to be in range of [-1, 0], but got 10)"]),
    ("cat of 0-d", lambda L: L.torch.cat([L.torch.tensor(1.0), L.torch.tensor(2.0)]), ["zero-dimensional tensor (at position 0) cannot be concatenated"]),
    ("cat shapes", lambda L: L.torch.cat([t(L, 2, 3), t(L, 2, 4)]), ["Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list."]),
    ("cat empty", lambda L: L.torch.cat([]), ["expected a non-empty list of Tensors"]),
    ("stack empty", lambda L: L.torch.stack([]), ["stack expects a non-empty TensorList"]),
    ("expand -1 new dim", lambda L: t(L, 3).expand(-1, 3),
     ["The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0"]),
    ("expand mismatch", lambda L: t(L, 3).expand(4), ["The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 0"]),
    ("view wrong size", lambda L: t(L, 6).view(4), ["shape '[4]' is invalid for input of size 6"]),
    ("reshape two -1", lambda L: t(L, 6).reshape(-1, -1), ["only one dimension can be inferred"]),
    ("view non-contiguous", lambda L: t(L, 2, 3).t().view(6), ["view size is not compatible with input tensor's size and stride"]),
    ("transpose dim", lambda L: t(L, 2, 3).transpose(0, 2), ["Dimension out of range (expected to be in range of [-2, 1], but got 2)"]),
    ("softmax dim", lambda L: t(L, 2, 3).softmax(2), ["Dimension out of range (expected to be in range of [-2, 1], but got 2)"]),
    ("item of many", lambda L: t(L, 2).item(), ["a Tensor with 2 elements cannot be converted to Scalar"]),
    ("backward of non-scalar", lambda L: L.torch.ones(2, requires_grad=True).mul(2).backward(), ["grad can be implicitly created only for scalar outputs"]),
    ("backward without grad", lambda L: t(L, 1).sum().backward(), ["element 0 of tensors does not require grad and does not have a grad_fn"]),
    ("numpy of requires_grad", lambda L: L.torch.ones(2, requires_grad=True).numpy(), ["Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."]),
    ("bool of many", lambda L: bool(t(L, 2)), ["Boolean value of Tensor with more than one value is ambiguous"]),
    ("Linear negative", lambda L: L.nn.Linear(-1, 2), ["Trying to create tensor with negative dimension -1"]),
    ("Dropout p", lambda L: L.nn.Dropout(1.5), ["dropout probability has to be between 0 and 1, but got 1.5"]),
    ("max dim out of range", lambda L: t(L, 2).max(dim=1), ["Dimension out of range (expected to be in range of [-1, 0], but got 1)"]),
    ("mean of ints", lambda L: L.torch.ones(2, dtype=L.torch.int64).mean(), ["mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long"]),
    ("flatten dims", lambda L: t(L, 2, 3).flatten(1, 0), ["flatten() has invalid args: start_dim cannot come after end_dim"]),
    ("flatten float dim", lambda L: t(L, 2, 3).flatten(0.5), ["flatten(): argument 'start_dim' (position 1) must be int"]),
    ("uniform_ a > b", lambda L: t(L, 3).uniform_(2, 1), ["uniform_ expects to return a [from, to) range"]),
    ("normal_ std < 0", lambda L: t(L, 3).normal_(0, -1), ["normal expects std >= 0.0"]),
    ("out= requires grad", lambda L: L.torch.mul(L.torch.ones(2, requires_grad=True), 2, out=L.torch.empty(2)),
     ["mul(): functions with out=... arguments don't support automatic differentiation"]),
    ("out= of a lower kind", lambda L: L.torch.mul(t(L, 2, 2), t(L, 2, 2), out=L.torch.zeros(2, 2, dtype=L.torch.int64)),
     ["result type Float can't be cast to the desired output type Long"]),
    ("dropout of ints", lambda L: L.nn.functional.dropout(L.torch.ones(3, dtype=L.torch.int64)),
     ["result type Float can't be cast to the desired output type Long"]),
]

WARNINGS = [
    ("MSELoss target size", lambda L: L.nn.MSELoss()(ar(L, 4, 4, 1), ar(L, 4)),
     ["Using a target size (torch.Size([4])) that is different to the input size (torch.Size([4, 1]))"]),
    ("L1Loss target size", lambda L: L.nn.L1Loss()(ar(L, 4, 4, 1), ar(L, 4)), ["Using a target size"]),
    ("out= resized", lambda L: L.torch.matmul(t(L, 2, 2), t(L, 2, 2), out=L.torch.empty(3)),
     ["An output with one or more elements was resized since it had shape [3]"]),
    ("softmax without dim", lambda L: L.nn.functional.softmax(t(L, 2, 3)), ["Implicit dimension choice for softmax has been deprecated"]),
]


@pytest.mark.parametrize("desc, fn, words", CASES, ids=[c[0] for c in CASES])
def test_same_error_as_torch(desc, fn, words):
    check_same_error(fn, words)


@pytest.mark.parametrize("desc, fn, words", WARNINGS, ids=[c[0] for c in WARNINGS])
def test_same_warning_as_torch(desc, fn, words):
    check_same_warning(fn, words)
