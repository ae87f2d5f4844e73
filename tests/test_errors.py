"""Bad inputs, side by side: each case runs in torch and in minigrad; both must raise the same exception class
(or warn with the same category), and the key words, checked against torch's own message, must be in minigrad's.
This file covers creation, nn.Module and containers, optim, utils.data and vision; test_errors_core.py the ops."""
import io
import os
import subprocess
import tempfile
import sys
import types
import warnings

import numpy as np
import pytest
import torch
import torch.utils.data
import torchvision
import torchvision.io

import minigrad
import minigrad.utils.data
import minigrad.vision
import minigrad.vision.io

LIBS = {
    "torch": types.SimpleNamespace(torch=torch, nn=torch.nn, optim=torch.optim, data=torch.utils.data,
                                   T=torchvision.transforms, vutils=torchvision.utils, io=torchvision.io),
    "minigrad": types.SimpleNamespace(torch=minigrad, nn=minigrad.nn, optim=minigrad.optim, data=minigrad.utils.data,
                                      T=minigrad.vision.transforms, vutils=minigrad.vision.utils, io=minigrad.vision.io),
}


def w(L, *shape):
    """A fresh leaf parameter of ones."""
    return L.nn.Parameter(L.torch.ones(*shape))


def lin(L):
    return L.nn.Linear(2, 3)


def before_init(L, call):
    """A Module subclass whose __init__ calls `call` before Module.__init__."""
    return type("Early", (L.nn.Module,), {"__init__": lambda self: call(self, L)})()


def with_buffer(L):
    m = L.nn.Module()
    m.register_buffer("running", L.torch.zeros(2))
    return m


def with_child(L):
    m = L.nn.Module()
    m.child = lin(L)
    return m


def ds(L, n=3):
    return L.data.TensorDataset(L.torch.arange(float(n)))


def dl(L, **kw):
    return L.data.DataLoader(ds(L), **kw)


def img(L, c=1, dtype=None):
    return L.torch.ones(c, 4, 4, dtype=dtype)


def t(L, *shape, **kw):
    return L.torch.ones(*shape, **kw)


def cls(L, *shape, dtype=None):
    """Class-index targets of zeros (int64 unless dtype)."""
    return L.torch.zeros(*shape, dtype=dtype or L.torch.int64)


def with_grad(L):
    p = w(L, 2)
    p.grad = L.torch.ones(2)
    return p


def mha(L):
    return L.nn.MultiheadAttention(4, 2)


def sgd(L):
    return L.optim.SGD([w(L, 1)], lr=0.1)


def ckpt():
    """A small checkpoint in memory (both libraries read it)."""
    buf = io.BytesIO()
    minigrad.save({"a": minigrad.ones(1)}, buf)
    return io.BytesIO(buf.getvalue())


# (description, bad input, key words of torch's message)
CASES = [
    # ---- creation ----------------------------------------------------------------------------------------------
    ("zeros negative", lambda L: L.torch.zeros(-1), ["zeros: Dimension size must be non-negative."]),
    ("zeros negative tuple", lambda L: L.torch.zeros((2, -1)), ["zeros: Dimension size must be non-negative."]),
    ("ones negative", lambda L: L.torch.ones(2, -3), ["negative dimension -3", "[2, -3]"]),
    ("empty negative", lambda L: L.torch.empty(-2), ["negative dimension -2"]),
    ("full negative", lambda L: L.torch.full((-1, 2), 1.0), ["negative dimension -1", "[-1, 2]"]),
    ("rand negative", lambda L: L.torch.rand(-1), ["negative dimension -1"]),
    ("randn negative", lambda L: L.torch.randn(3, -1), ["negative dimension -1", "[3, -1]"]),
    ("randint negative size", lambda L: L.torch.randint(0, 5, (-1,)), ["negative dimension -1"]),
    ("zeros float size", lambda L: L.torch.zeros(2.5), ["argument 'size'", "tuple of ints"]),
    ("ones str size", lambda L: L.torch.ones("3"), ["argument 'size'", "tuple of ints"]),
    ("zeros_like of list", lambda L: L.torch.zeros_like([1, 2]), ["must be Tensor, not list"]),
    ("ones_like of ndarray", lambda L: L.torch.ones_like(np.ones(2)), ["must be Tensor, not numpy.ndarray"]),
    ("arange wrong sign", lambda L: L.torch.arange(0, 5, -1), ["upper bound and lower bound inconsistent with step sign"]),
    ("arange wrong sign down", lambda L: L.torch.arange(5, 0), ["upper bound and lower bound inconsistent with step sign"]),
    ("arange step 0", lambda L: L.torch.arange(0, 5, 0), ["step must be nonzero"]),
    ("arange infinite", lambda L: L.torch.arange(0, float("inf")), ["unsupported range"]),
    ("arange nan", lambda L: L.torch.arange(float("nan")), ["unsupported range"]),
    ("linspace negative steps", lambda L: L.torch.linspace(0, 1, -1), ["number of steps must be non-negative"]),
    ("linspace float steps", lambda L: L.torch.linspace(0, 1, 2.5), ["linspace()"]),
    ("randint low == high", lambda L: L.torch.randint(5, 5, (2,)),
     ["random_ expects 'from' to be less than 'to', but got from=5 >= to=5"]),
    ("randint low > high", lambda L: L.torch.randint(5, 2, (2,)), ["from=5 >= to=2"]),
    ("randint high 0", lambda L: L.torch.randint(0, (3,)), ["from=0 >= to=0"]),
    ("randperm negative", lambda L: L.torch.randperm(-1), ["negative dimension -1: [-1]"]),
    ("randperm float", lambda L: L.torch.randperm(2.5), ["randperm(): argument 'n' (position 1) must be int, not float"]),
    ("randperm bool dtype", lambda L: L.torch.randperm(3, dtype=L.torch.bool), ["not implemented for 'Bool'"]),
    ("randperm overflow", lambda L: L.torch.randperm(300, dtype=L.torch.uint8), ["without overflow"]),
    ("eye negative", lambda L: L.torch.eye(-1), ["n must be greater or equal to 0, got -1"]),
    ("eye negative m", lambda L: L.torch.eye(2, -3), ["m must be greater or equal to 0, got -3"]),
    ("eye float", lambda L: L.torch.eye(2.5), ["eye(): argument 'n' (position 1) must be int, not float"]),
    ("eye bool", lambda L: L.torch.eye(True), ["eye(): argument 'n' (position 1) must be int, not bool"]),
    ("eye float m", lambda L: L.torch.eye(2, 2.5), ["eye()"]),
    ("full str fill", lambda L: L.torch.full((2,), "a"), ["full(): argument 'fill_value' (position 2) must be Number, not str"]),
    ("full None fill", lambda L: L.torch.full((2,), None), ["must be Number, not NoneType"]),
    ("full list fill", lambda L: L.torch.full((2,), [1]), ["must be Number, not list"]),
    ("full int size", lambda L: L.torch.full(2, 1.0), ["full(): argument 'size' (position 1) must be tuple of ints, not int"]),
    ("full overflow", lambda L: L.torch.full((2,), 300, dtype=L.torch.uint8), ["without overflow"]),
    ("full_like str fill", lambda L: L.torch.full_like(L.torch.ones(2), "a"), ["full_like(): argument 'fill_value' (position 2) must be Number, not str"]),
    ("tensor overflow uint8", lambda L: L.torch.tensor([300], dtype=L.torch.uint8), ["value cannot be converted to type uint8 without overflow"]),
    ("tensor overflow negative", lambda L: L.torch.tensor([-300], dtype=L.torch.uint8), ["value cannot be converted to type uint8 without overflow"]),
    ("tensor overflow int32", lambda L: L.torch.tensor([2 ** 31], dtype=L.torch.int32), ["value cannot be converted to type int32 without overflow"]),
    ("tensor float overflow uint8", lambda L: L.torch.tensor([300.5], dtype=L.torch.uint8), ["without overflow"]),
    ("tensor scalar then list", lambda L: L.torch.tensor([[1], 2]), ["not a sequence"]),
    ("tensor list after scalar", lambda L: L.torch.tensor([1, [2]]), []),
    ("tensor str deep", lambda L: L.torch.tensor([[1, 2], [3, "a"]]), ["new(): invalid data type 'str'"]),
    ("tensor None inside", lambda L: L.torch.tensor([1, None]), ["Could not infer dtype of NoneType"]),
    ("tensor array of wrong length", lambda L: L.torch.tensor([[1, 2], np.zeros(3)]), ["expected sequence of length 2 at dim 1 (got 3)"]),
    ("as_tensor ragged", lambda L: L.torch.as_tensor([[1], [2, 3]]), ["expected sequence of length 1 at dim 1 (got 2)"]),
    ("as_tensor str", lambda L: L.torch.as_tensor("ab"), ["new(): invalid data type 'str'"]),
    ("as_tensor bad dtype", lambda L: L.torch.as_tensor([1], dtype="x"), ["as_tensor(): argument 'dtype' must be torch.dtype, not str"]),
    ("tensor ragged", lambda L: L.torch.tensor([[1, 2], [3]]), ["expected sequence of length 2 at dim 1 (got 1)"]),
    ("tensor ragged deep", lambda L: L.torch.tensor([[[1], [2]], [[3]]]),
     ["expected sequence of length 2 at dim 1 (got 1)"]),
    ("tensor of str", lambda L: L.torch.tensor("abc"), ["new(): invalid data type 'str'"]),
    ("tensor of str list", lambda L: L.torch.tensor(["a", "b"]), ["too many dimensions 'str'"]),
    ("tensor of None", lambda L: L.torch.tensor(None), ["Could not infer dtype of NoneType"]),
    ("tensor of dict", lambda L: L.torch.tensor({1: 2}), ["Could not infer dtype of dict"]),
    ("tensor of objects", lambda L: L.torch.tensor([object()]), ["Could not infer dtype of object"]),
    ("tensor bad dtype", lambda L: L.torch.tensor([1.0], dtype="float32"), ["tensor(): argument 'dtype' must be torch.dtype, not str"]),
    ("zeros bad dtype", lambda L: L.torch.zeros(2, dtype="float32"), ["zeros(): argument 'dtype' must be torch.dtype, not str"]),
    ("ones bad dtype", lambda L: L.torch.ones(2, dtype=np.float32), ["ones(): argument 'dtype' must be torch.dtype, not type"]),
    ("arange bad dtype", lambda L: L.torch.arange(3, dtype="x"), ["arange()", "dtype"]),
    ("ones_like bad dtype", lambda L: L.torch.ones_like(L.torch.ones(2), dtype="x"), ["ones_like(): argument 'dtype' must be torch.dtype, not str"]),
    ("arange str", lambda L: L.torch.arange("a"), ["arange(): argument 'end' (position 1) must be Number, not str"]),
    ("arange None", lambda L: L.torch.arange(None), ["must be Number, not NoneType"]),
    ("arange float step 0", lambda L: L.torch.arange(0, 3, 0.0), ["step must be nonzero"]),
    ("linspace str", lambda L: L.torch.linspace("a", 1, 3), ["linspace()"]),
    ("linspace None steps", lambda L: L.torch.linspace(0, 1, None), ["linspace()"]),
    ("randint float low", lambda L: L.torch.randint(0.5, 5, (3,)), ["randint()"]),
    ("randint uint8 too high", lambda L: L.torch.randint(0, 300, (2,), dtype=L.torch.uint8), ["to - 1 is out of bounds for"]),
    ("randint uint8 negative", lambda L: L.torch.randint(-5, 0, (2,), dtype=L.torch.uint8), ["from is out of bounds for"]),
    ("randint bool", lambda L: L.torch.randint(0, 5, (2,), dtype=L.torch.bool), ["to - 1 is out of bounds for bool"]),
    ("randint int32", lambda L: L.torch.randint(0, 2 ** 31 + 1, (2,), dtype=L.torch.int32), ["to - 1 is out of bounds for"]),
    ("rand bool dtype", lambda L: L.torch.rand(2, dtype=L.torch.bool), ["not implemented for 'Bool'"]),
    ("rand uint8 dtype", lambda L: L.torch.rand(2, dtype=L.torch.uint8), ["not implemented for 'Byte'"]),
    ("rand_like int", lambda L: L.torch.rand_like(L.torch.ones(2, dtype=L.torch.int64)), ["not implemented for 'Long'"]),
    ("randn_like int", lambda L: L.torch.randn_like(L.torch.ones(2, dtype=L.torch.int32)), ["not implemented for 'Int'"]),
    ("zeros_like requires_grad int", lambda L: L.torch.zeros_like(L.torch.ones(2), dtype=L.torch.int64, requires_grad=True),
     ["Only Tensors of floating point and complex dtype can require gradients"]),
    ("from_numpy of scalar", lambda L: L.torch.from_numpy(np.float64(1.0)), ["expected np.ndarray (got numpy.float64)"]),
    ("from_numpy of list", lambda L: L.torch.from_numpy([1, 2]), ["expected np.ndarray (got list)"]),
    ("from_numpy of str array", lambda L: L.torch.from_numpy(np.array(["a"])), ["can't convert np.ndarray of type numpy.str_"]),
    ("from_numpy of object array", lambda L: L.torch.from_numpy(np.array([None])), ["can't convert np.ndarray of type"]),
    ("rand int dtype", lambda L: L.torch.rand(2, dtype=L.torch.int64), ["not implemented for 'Long'"]),
    ("randn int dtype", lambda L: L.torch.randn(2, dtype=L.torch.int64), ["not implemented for 'Long'"]),
    ("requires_grad int", lambda L: L.torch.zeros(2, dtype=L.torch.int64, requires_grad=True),
     ["Only Tensors of floating point and complex dtype can require gradients"]),
    # ---- nn.Module: registration -------------------------------------------------------------------------------
    ("add_module dotted", lambda L: lin(L).add_module("a.b", lin(L)), ["module name can't contain \".\", got: a.b"]),
    ("add_module empty", lambda L: lin(L).add_module("", lin(L)), ["module name can't be empty string"]),
    ("add_module int name", lambda L: lin(L).add_module(1, lin(L)), ["module name should be a string. Got int"]),
    ("add_module non-module", lambda L: lin(L).add_module("x", 5), ["int is not a Module subclass"]),
    ("add_module existing attr", lambda L: lin(L).add_module("training", lin(L)), ["attribute 'training' already exists"]),
    ("add_module over param", lambda L: lin(L).add_module("weight", lin(L)), ["attribute 'weight' already exists"]),
    ("register_module dotted", lambda L: lin(L).register_module("a.b", lin(L)), ["can't contain \".\""]),
    ("register_buffer dotted", lambda L: lin(L).register_buffer("a.b", L.torch.ones(1)),
     ["buffer name can't contain \".\""]),
    ("register_buffer empty", lambda L: lin(L).register_buffer("", L.torch.ones(1)), ["buffer name can't be empty string"]),
    ("register_buffer int name", lambda L: lin(L).register_buffer(1, L.torch.ones(1)),
     ["buffer name should be a string. Got int"]),
    ("register_buffer non-tensor", lambda L: lin(L).register_buffer("b", 5),
     ["cannot assign 'int' object to buffer 'b' (torch Tensor or None required)"]),
    ("register_buffer existing attr", lambda L: lin(L).register_buffer("weight", L.torch.ones(1)),
     ["attribute 'weight' already exists"]),
    ("register_buffer before init", lambda L: before_init(L, lambda s, L: s.register_buffer("b", None)),
     ["cannot assign buffer before Module.__init__() call"]),
    ("register_parameter dotted", lambda L: lin(L).register_parameter("a.b", w(L, 1)),
     ["parameter name can't contain \".\""]),
    ("register_parameter empty", lambda L: lin(L).register_parameter("", w(L, 1)),
     ["parameter name can't be empty string"]),
    ("register_parameter int name", lambda L: lin(L).register_parameter(1, w(L, 1)),
     ["parameter name should be a string. Got int"]),
    ("register_parameter tensor", lambda L: lin(L).register_parameter("p", L.torch.ones(1)),
     ["cannot assign", "object to parameter 'p' (torch.nn.Parameter or None required)"]),
    ("register_parameter existing attr", lambda L: lin(L).register_parameter("training", w(L, 1)),
     ["attribute 'training' already exists"]),
    ("register_parameter before init", lambda L: before_init(L, lambda s, L: s.register_parameter("p", None)),
     ["cannot assign parameter before Module.__init__() call"]),
    ("register_parameter non-leaf", lambda L: lin(L).register_parameter("p", L.nn.Parameter(L.torch.ones(1)) * 2),
     ["object to parameter 'p'"]),
    ("add_module before init", lambda L: before_init(L, lambda s, L: s.add_module("m", None)), []),
    ("parameter before init", lambda L: before_init(L, lambda s, L: setattr(s, "p", w(L, 1))),
     ["cannot assign parameters before Module.__init__() call"]),
    ("module before init", lambda L: before_init(L, lambda s, L: setattr(s, "m", lin(L))),
     ["cannot assign module before Module.__init__() call"]),
    ("assign int to weight", lambda L: setattr(lin(L), "weight", 5),
     ["cannot assign 'int' as parameter 'weight' (torch.nn.Parameter or None expected)"]),
    ("assign tensor to weight", lambda L: setattr(lin(L), "weight", L.torch.ones(3, 2)),
     ["as parameter 'weight' (torch.nn.Parameter or None expected)"]),
    ("assign int to child", lambda L: setattr(with_child(L), "child", 5),
     ["cannot assign 'int' as child module 'child' (torch.nn.Module or None expected)"]),
    ("assign int to buffer", lambda L: setattr(with_buffer(L), "running", 5),
     ["cannot assign 'int' as buffer 'running'"]),
    ("missing attribute", lambda L: lin(L).nope, ["'Linear' object has no attribute 'nope'"]),
    ("delete missing attribute", lambda L: delattr(lin(L), "nope"), ["nope"]),
    ("train non-bool", lambda L: lin(L).train("yes"), ["training mode is expected to be boolean"]),
    ("to int dtype", lambda L: lin(L).to(L.torch.int64), ["nn.Module.to only accepts floating point"]),
    ("Module.to two dtypes", lambda L: lin(L).to(L.torch.float64, L.torch.float32),
     ["to() received an invalid combination of arguments - got (torch.dtype, torch.dtype)"]),
    ("Module.to dtype then device", lambda L: lin(L).to(L.torch.float64, "cpu"), ["to() received an invalid combination of arguments"]),
    ("Module.to int tensor", lambda L: lin(L).to(L.torch.ones(1, dtype=L.torch.int64)), ["nn.Module.to only accepts floating point"]),
    ("Parameter requires_grad str", lambda L: L.nn.Parameter(L.torch.ones(1), requires_grad="x"),
     ["_make_subclass(): argument 'require_grad' (position 3) must be bool, not str"]),
    ("forward missing", lambda L: L.nn.Module()(1), ["missing the required \"forward\" function"]),
    # ---- nn.Module: state_dict ---------------------------------------------------------------------------------
    ("load_state_dict tensor", lambda L: lin(L).load_state_dict(L.torch.ones(2)),
     ["Expected state_dict to be dict-like, got"]),
    ("load_state_dict list", lambda L: lin(L).load_state_dict([1, 2]), ["Expected state_dict to be dict-like, got"]),
    ("load_state_dict None", lambda L: lin(L).load_state_dict(None), ["Expected state_dict to be dict-like, got"]),
    ("load_state_dict missing", lambda L: lin(L).load_state_dict({}), ["Missing key(s) in state_dict", "weight"]),
    ("load_state_dict unexpected", lambda L: lin(L).load_state_dict({**lin(L).state_dict(), "x": L.torch.ones(1)}),
     ["Unexpected key(s) in state_dict: \"x\""]),
    ("load_state_dict size", lambda L: lin(L).load_state_dict({**lin(L).state_dict(), "bias": L.torch.ones(2)}),
     ["size mismatch for bias", "torch.Size([2])", "torch.Size([3])"]),
    ("load_state_dict non-tensor value",
     lambda L: lin(L).load_state_dict({"weight": [[1.0] * 2] * 3, "bias": L.torch.ones(3)}),
     ["While copying the parameter named \"weight\"", "expected torch.Tensor or Tensor-like object from checkpoint"]),
    # ---- containers --------------------------------------------------------------------------------------------
    ("Sequential index", lambda L: L.nn.Sequential(lin(L))[5], ["index 5 is out of range"]),
    ("Sequential negative index", lambda L: L.nn.Sequential(lin(L))[-2], ["index -2 is out of range"]),
    ("Sequential str index", lambda L: L.nn.Sequential(lin(L))["a"], ["cannot be interpreted as an integer"]),
    ("Sequential setitem index", lambda L: L.nn.Sequential(lin(L)).__setitem__(3, lin(L)), ["index 3 is out of range"]),
    ("Sequential non-module", lambda L: L.nn.Sequential(lin(L), 5), ["int is not a Module subclass"]),
    ("Sequential append non-module", lambda L: L.nn.Sequential().append(5), ["int is not a Module subclass"]),
    ("ModuleList index", lambda L: L.nn.ModuleList()[0], ["index 0 is out of range"]),
    ("ModuleList float index", lambda L: L.nn.ModuleList([lin(L)])[0.5], ["cannot be interpreted as an integer"]),
    ("ModuleList non-module", lambda L: L.nn.ModuleList([5]), ["int is not a Module subclass"]),
    ("ModuleList not iterable", lambda L: L.nn.ModuleList(5), ["ModuleList.extend should be called with an iterable, but got int"]),
    ("ModuleList append non-module", lambda L: L.nn.ModuleList().append("x"), ["str is not a Module subclass"]),
    ("ModuleList setitem index", lambda L: L.nn.ModuleList([lin(L)]).__setitem__(1, lin(L)),
     ["index 1 is out of range"]),
    ("ModuleList extend non-iterable", lambda L: L.nn.ModuleList().extend(5), ["ModuleList.extend should be called with an iterable, but got int"]),
    # ---- losses -----------------------------------------------------------------------------------------------
    ("MSELoss no broadcast", lambda L: L.nn.MSELoss()(t(L, 4), t(L, 3)),
     ["The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 0"]),
    ("L1Loss no broadcast", lambda L: L.nn.L1Loss()(t(L, 2, 4), t(L, 3)), ["The size of tensor a (4) must match the size of tensor b (3)"]),
    ("MSELoss of ints", lambda L: L.nn.MSELoss()(t(L, 4, dtype=L.torch.int64), t(L, 4, dtype=L.torch.int64)),
     ["\"mse_cpu\" not implemented for 'Long'"]),
    ("MSELoss of bools", lambda L: L.nn.functional.mse_loss(t(L, 4, dtype=L.torch.bool), t(L, 4, dtype=L.torch.bool)),
     ["not implemented for 'Bool'"]),
    ("MSELoss bad reduction", lambda L: L.nn.MSELoss(reduction="avg")(t(L, 4), t(L, 4)), ["avg is not a valid value for reduction"]),
    ("L1Loss list input", lambda L: L.nn.L1Loss()([1.0], t(L, 1)), ["'list' object has no attribute"]),
    ("NLLLoss 0-d input", lambda L: L.nn.NLLLoss()(L.torch.tensor(1.0), L.torch.tensor(0)), ["Expected 1 or more dimensions (got 0)"]),
    ("NLLLoss 1-d input, long target", lambda L: L.nn.NLLLoss()(t(L, 3), cls(L, 2)),
     ["For 1D input, 1D target must have size 1, but got target size: 2"]),
    ("NLLLoss 2-d target", lambda L: L.nn.NLLLoss()(t(L, 4, 3), cls(L, 4, 1)), ["0D or 1D target tensor expected, multi-target not supported"]),
    ("NLLLoss 0-d target for a batch", lambda L: L.nn.NLLLoss()(t(L, 4, 3), L.torch.tensor(0)),
     ["Expected input batch_size (4) to match target batch_size (0)."]),
    ("NLLLoss 3-d target shape", lambda L: L.nn.NLLLoss()(t(L, 2, 3, 4), cls(L, 2, 5)), ["Expected target size [2, 4], got [2, 5]"]),
    ("NLLLoss 4-d target dims", lambda L: L.nn.NLLLoss()(t(L, 2, 3, 4, 4), cls(L, 2, 4)),
     ["only batches of spatial targets supported (3D tensors) but got targets of dimension: 2"]),
    ("NLLLoss 4-d target shape", lambda L: L.nn.NLLLoss()(t(L, 2, 3, 4, 4), cls(L, 2, 4, 5)),
     ["size mismatch (got input: [2, 3, 4, 4] , target: [2, 4, 5]"]),
    ("NLLLoss 5-d target shape", lambda L: L.nn.NLLLoss()(t(L, 2, 3, 4, 4, 2), cls(L, 2, 4, 4, 3)),
     ["Expected target size [2, 4, 4, 2], got [2, 4, 4, 3]"]),
    ("NLLLoss weight length", lambda L: L.nn.NLLLoss(weight=t(L, 2))(t(L, 4, 3), cls(L, 4)),
     ["weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]"]),
    ("NLLLoss 2-d weight", lambda L: L.nn.NLLLoss(weight=t(L, 3, 1))(t(L, 4, 3), cls(L, 4)), ["got weight tensor of shape: [3, 1]"]),
    ("NLLLoss spatial weight length", lambda L: L.nn.NLLLoss(weight=t(L, 2))(t(L, 2, 3, 4), cls(L, 2, 4)),
     ["weight tensor should be defined either for all or no classes"]),
    ("NLLLoss double weight", lambda L: L.nn.NLLLoss(weight=t(L, 3, dtype=L.torch.float64))(t(L, 4, 3), cls(L, 4)),
     ["expected scalar type Float but found Double"]),
    ("NLLLoss int input", lambda L: L.nn.NLLLoss()(t(L, 4, 3, dtype=L.torch.int64), cls(L, 4)), ["not implemented for 'Long'"]),
    ("NLLLoss list target", lambda L: L.nn.functional.nll_loss(t(L, 4, 3), [0, 0, 0, 0]),
     ["nll_loss_nd(): argument 'target' (position 2) must be Tensor, not list"]),
    ("CrossEntropyLoss bool target", lambda L: L.nn.CrossEntropyLoss()(t(L, 4, 3), cls(L, 4, dtype=L.torch.bool)),
     ["expected target dtype to be Long or Byte, but got Bool"]),
    ("CrossEntropyLoss int32 target", lambda L: L.nn.CrossEntropyLoss()(t(L, 4, 3), cls(L, 4, dtype=L.torch.int32)),
     ["expected target dtype to be Long or Byte, but got Int"]),
    ("CrossEntropyLoss float class target", lambda L: L.nn.CrossEntropyLoss()(t(L, 4, 3), t(L, 4)),
     ["expected target dtype to be Long or Byte, but got Float"]),
    ("CrossEntropyLoss 2-d class target", lambda L: L.nn.CrossEntropyLoss()(t(L, 4, 3), cls(L, 4, 2)),
     ["0D or 1D target tensor expected, multi-target not supported"]),
    ("CrossEntropyLoss probabilities of wrong shape", lambda L: L.nn.CrossEntropyLoss()(t(L, 4, 3), t(L, 4, 2)),
     ["0D or 1D target tensor expected, multi-target not supported"]),
    ("CrossEntropyLoss long probabilities", lambda L: L.nn.CrossEntropyLoss()(t(L, 4, 3), cls(L, 4, 3)),
     ["Expected floating point type for target with class probabilities, got Long"]),
    ("CrossEntropyLoss 0-d", lambda L: L.nn.CrossEntropyLoss()(L.torch.tensor(1.0), L.torch.tensor(0)),
     ["Expected floating point type for target with class probabilities, got Long"]),
    ("CrossEntropyLoss probabilities ignore_index", lambda L: L.nn.CrossEntropyLoss(ignore_index=1)(t(L, 4, 3), t(L, 4, 3)),
     ["ignore_index is not supported for floating point target"]),
    ("CrossEntropyLoss probabilities weight length", lambda L: L.nn.CrossEntropyLoss(weight=t(L, 2))(t(L, 4, 3), t(L, 4, 3)),
     ["cross_entropy: weight tensor should be defined either for all 3 classes or no classes but got weight tensor of shape: [2]"]),
    ("CrossEntropyLoss int weight", lambda L: L.nn.CrossEntropyLoss(weight=t(L, 3, dtype=L.torch.int64))(t(L, 4, 3), cls(L, 4)),
     ["expected scalar type Float but found Long"]),
    ("CrossEntropyLoss label_smoothing", lambda L: L.nn.CrossEntropyLoss(label_smoothing=1.5)(t(L, 4, 3), cls(L, 4)),
     ["label_smoothing must be between 0.0 and 1.0. Got: 1.5"]),
    ("CrossEntropyLoss list target", lambda L: L.nn.CrossEntropyLoss()(t(L, 4, 3), [0, 0, 0, 0]),
     ["cross_entropy_loss(): argument 'target' (position 2) must be Tensor, not list"]),
    ("BCELoss long target", lambda L: L.nn.BCELoss()(t(L, 4) / 2, t(L, 4, dtype=L.torch.int64)), ["Found dtype Long but expected Float"]),
    ("BCELoss double target", lambda L: L.nn.BCELoss()(t(L, 4) / 2, t(L, 4, dtype=L.torch.float64)), ["Found dtype Double but expected Float"]),
    ("BCELoss weight no broadcast", lambda L: L.nn.BCELoss(weight=t(L, 3))(t(L, 4) / 2, t(L, 4)),
     ["Attempting to broadcast a dimension of length 3 at -1! Mismatching argument at index 1 had torch.Size([3]); but expected shape should be broadcastable to [4]"]),
    ("BCELoss weight grows the loss", lambda L: L.nn.BCELoss(weight=t(L, 4, 1))(t(L, 4) / 2, t(L, 4)),
     ["output with shape [4] doesn't match the broadcast shape [4, 4]"]),
    ("BCELoss out of range", lambda L: L.nn.BCELoss()(t(L, 4) * 2, t(L, 4)), ["all elements of input should be between 0 and 1"]),
    ("BCEWithLogitsLoss target size", lambda L: L.nn.BCEWithLogitsLoss()(t(L, 4, 1), t(L, 4)),
     ["Target size (torch.Size([4])) must be the same as input size (torch.Size([4, 1]))"]),
    ("BCEWithLogitsLoss long target", lambda L: L.nn.BCEWithLogitsLoss()(t(L, 4), t(L, 4, dtype=L.torch.int64)),
     ["result type Float can't be cast to the desired output type Long"]),
    ("BCEWithLogitsLoss weight no broadcast", lambda L: L.nn.BCEWithLogitsLoss(weight=t(L, 3))(t(L, 4), t(L, 4)),
     ["The size of tensor a (4) must match the size of tensor b (3) at non-singleton dimension 0"]),
    ("BCEWithLogitsLoss pos_weight no broadcast", lambda L: L.nn.BCEWithLogitsLoss(pos_weight=t(L, 3))(t(L, 4), t(L, 4)),
     ["The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0"]),
    ("BCEWithLogitsLoss weight grows the loss", lambda L: L.nn.BCEWithLogitsLoss(weight=t(L, 4))(t(L, 4, 1), t(L, 4, 1)),
     ["output with shape [4, 1] doesn't match the broadcast shape [4, 4]"]),
    ("BCEWithLogitsLoss pos_weight grows the loss", lambda L: L.nn.BCEWithLogitsLoss(pos_weight=t(L, 4), reduction="none")(t(L, 4, 1), t(L, 4, 1)),
     ["output with shape [4, 1] doesn't match the broadcast shape [4, 4]"]),
    # ---- layers -----------------------------------------------------------------------------------------------
    ("Linear negative out_features", lambda L: L.nn.Linear(2, -1), ["Trying to create tensor with negative dimension -1: [-1, 2]"]),
    ("Linear float in_features", lambda L: L.nn.Linear(2.5, 2), ["argument 'size'", "tuple of ints"]),
    ("Linear 0-d input", lambda L: L.nn.Linear(3, 2)(L.torch.tensor(1.0)),
     ["both arguments to linear need to be at least 1D, but they are 0D and 2D"]),
    ("Linear long input", lambda L: L.nn.Linear(3, 2)(t(L, 2, 3, dtype=L.torch.int64)),
     ["mat1 and mat2 must have the same dtype, but got Long and Float"]),
    ("Linear double input", lambda L: L.nn.Linear(3, 2)(t(L, 2, 3, dtype=L.torch.float64)),
     ["mat1 and mat2 must have the same dtype, but got Double and Float"]),
    ("linear bias length", lambda L: L.nn.functional.linear(t(L, 2, 3), t(L, 4, 3), t(L, 3)),
     ["The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]"]),
    ("linear list input", lambda L: L.nn.functional.linear([1.0], t(L, 2, 1)), ["linear(): argument 'input' (position 1) must be Tensor, not list"]),
    ("Linear on cuda", lambda L: L.nn.Linear(2, 2, device="cuda"), []),
    ("BatchNorm1d negative", lambda L: L.nn.BatchNorm1d(-1), ["Trying to create tensor with negative dimension -1: [-1]"]),
    ("LayerNorm negative", lambda L: L.nn.LayerNorm(-1), ["Trying to create tensor with negative dimension -1: [-1]"]),
    ("GroupNorm negative", lambda L: L.nn.GroupNorm(1, -2), ["Trying to create tensor with negative dimension -2: [-2]"]),
    ("LayerNorm double input", lambda L: L.nn.LayerNorm(3)(t(L, 2, 3, dtype=L.torch.float64)),
     ["mixed dtype (CPU): all inputs must share same datatype."]),
    ("LayerNorm long input", lambda L: L.nn.LayerNorm(3)(t(L, 2, 3, dtype=L.torch.int64)), ["mixed dtype (CPU)"]),
    ("GroupNorm double input", lambda L: L.nn.GroupNorm(1, 3)(t(L, 2, 3, dtype=L.torch.float64)), ["mixed dtype (CPU)"]),
    ("BatchNorm1d double input", lambda L: L.nn.BatchNorm1d(3)(t(L, 2, 3, dtype=L.torch.float64)), ["mixed dtype (CPU)"]),
    ("BatchNorm1d long input", lambda L: L.nn.BatchNorm1d(3)(t(L, 2, 3, dtype=L.torch.int64)),
     ["\"batch_norm\" not implemented for 'Long'"]),
    ("GroupNorm 1-d input", lambda L: L.nn.GroupNorm(2, 4)(t(L, 4)), ["Expected at least 2 dimensions for input tensor but received 1"]),
    ("Embedding negative", lambda L: L.nn.Embedding(-1, 2), ["Trying to create tensor with negative dimension -1: [-1, 2]"]),
    ("embedding list indices", lambda L: L.nn.functional.embedding([1], t(L, 4, 2)),
     ["embedding(): argument 'indices' (position 2) must be Tensor, not list"]),
    ("MultiheadAttention on cuda", lambda L: L.nn.MultiheadAttention(4, 2, device="cuda"), []),
    ("sdpa dropout_p above 1", lambda L: L.nn.functional.scaled_dot_product_attention(t(L, 2, 3, 4), t(L, 2, 3, 4), t(L, 2, 3, 4), dropout_p=2.0),
     ["dropout probability has to be between 0 and 1, but got 2"]),
    ("sdpa of longs", lambda L: L.nn.functional.scaled_dot_product_attention(*[t(L, 2, 3, 4, dtype=L.torch.int64)] * 3),
     ["expected scalar type Float but found Long"]),
    ("sdpa negative dropout_p", lambda L: L.nn.functional.scaled_dot_product_attention(t(L, 2, 3, 4), t(L, 2, 3, 4), t(L, 2, 3, 4), dropout_p=-1.0), []),
    ("MultiheadAttention 4-d query", lambda L: mha(L)(t(L, 1, 3, 2, 4), t(L, 1, 3, 2, 4), t(L, 1, 3, 2, 4)),
     ["query should be unbatched 2D or batched 3D tensor but received 4-D query tensor"]),
    ("MultiheadAttention unbatched query, batched key", lambda L: mha(L)(t(L, 3, 4), t(L, 3, 2, 4), t(L, 3, 2, 4)),
     ["For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found 3-D and 3-D tensors respectively"]),
    ("MultiheadAttention batched query, unbatched key", lambda L: mha(L)(t(L, 3, 2, 4), t(L, 3, 4), t(L, 3, 4)),
     ["For batched (3-D) `query`, expected `key` and `value` to be 3-D but found 2-D and 2-D tensors respectively"]),
    ("MultiheadAttention 1-d attn_mask", lambda L: mha(L)(t(L, 3, 2, 4), t(L, 3, 2, 4), t(L, 3, 2, 4), attn_mask=L.torch.zeros(3)),
     ["For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but found 1-D tensor instead"]),
    ("MultiheadAttention 1-d key_padding_mask", lambda L: mha(L)(t(L, 3, 2, 4), t(L, 3, 2, 4), t(L, 3, 2, 4),
                                                                 key_padding_mask=L.torch.zeros(3, dtype=L.torch.bool)),
     ["expected `key_padding_mask` to be `None` or 2-D but found 1-D tensor instead"]),
    ("MultiheadAttention kdim mismatch", lambda L: L.nn.MultiheadAttention(4, 2, kdim=3, vdim=3)(t(L, 3, 2, 4), t(L, 3, 2, 5), t(L, 3, 2, 5)),
     ["expecting key weights shape of (4, 5), but got torch.Size([4, 3])"]),
    ("layer_norm float normalized_shape", lambda L: L.nn.functional.layer_norm(t(L, 2, 3), [3.5]),
     ["layer_norm(): argument 'normalized_shape' (position 2) must be tuple of ints, but found element of type float at pos 0"]),
    ("Dropout2d 1-d input", lambda L: L.nn.Dropout2d()(t(L, 2)), ["Feature dropout requires at least 2 dimensions in the input"]),
    ("LeakyReLU str slope", lambda L: L.nn.LeakyReLU("a")(t(L, 2)),
     ["leaky_relu(): argument 'negative_slope' (position 2) must be Number, not str"]),
    ("ELU str alpha", lambda L: L.nn.functional.elu(t(L, 2), "a"), ["elu(): argument 'alpha' (position 2) must be Number, not str"]),
    ("CELU str alpha", lambda L: L.nn.functional.celu(t(L, 2), "a"), ["celu(): argument 'alpha' (position 2) must be Number, not str"]),
    ("softplus str beta", lambda L: L.nn.functional.softplus(t(L, 2), "a"), ["softplus(): argument 'beta' (position 2) must be Number, not str"]),
    ("calculate_gain str slope", lambda L: L.nn.init.calculate_gain("leaky_relu", "a"), ["negative_slope a not a valid number"]),
    ("calculate_gain bool slope", lambda L: L.nn.init.calculate_gain("leaky_relu", True), ["negative_slope True not a valid number"]),
    ("kaiming bad mode", lambda L: L.nn.init.kaiming_uniform_(t(L, 3, 3), mode="x"),
     ["Mode x not supported, please use one of ['fan_in', 'fan_out']"]),
    ("Generator manual_seed str", lambda L: L.torch.Generator().manual_seed("a"), ["manual_seed expected a long, but got str"]),
    ("Generator manual_seed float", lambda L: L.torch.Generator().manual_seed(1.5), ["manual_seed expected a long, but got float"]),
    ("Generator manual_seed bool", lambda L: L.torch.Generator().manual_seed(True), ["manual_seed expected a long, but got bool"]),
    ("Generator manual_seed too big", lambda L: L.torch.Generator().manual_seed(2 ** 64), ["Overflow when unpacking long"]),
    ("manual_seed str", lambda L: L.torch.manual_seed("a"), ["invalid literal for int()"]),
    # ---- save / load -------------------------------------------------------------------------------------------
    ("save into a missing folder", lambda L: L.torch.save({"a": 1}, "/nonexistent/x.pt"),
     ["Parent directory /nonexistent does not exist."]),
    ("save over a folder", lambda L: L.torch.save({"a": 1}, tempfile.gettempdir()), ["open file failed with strerror: Is a directory"]),
    ("save to an int", lambda L: L.torch.save({"a": 1}, 5),
     ["expected 'f' to be string, path, or a file-like object with a 'write' attribute"]),
    ("save to a read-only file object", lambda L: L.torch.save({"a": 1}, open(os.devnull, "rb")), ["write"]),
    ("load a missing file", lambda L: L.torch.load("/nonexistent/x.pt"), ["No such file or directory"]),
    ("load a folder", lambda L: L.torch.load(tempfile.gettempdir()), ["Is a directory"]),
    ("load an int", lambda L: L.torch.load(5), ["'int' object has no attribute"]),
    ("load with an int map_location", lambda L: L.torch.load(ckpt(), map_location=5), ["'int' object is not callable"]),
    ("load an empty buffer", lambda L: L.torch.load(io.BytesIO()), []),
    # ---- optim ------------------------------------------------------------------------------------------------
    ("SGD floats", lambda L: L.optim.SGD([1.0, 2.0], lr=0.1),
     ["optimizer can only optimize Tensors, but one of the params is float"]),
    ("SGD tensor", lambda L: L.optim.SGD(w(L, 2), lr=0.1), ["params argument given to the optimizer should be an iterable"]),
    ("SGD empty", lambda L: L.optim.SGD([], lr=0.1), ["optimizer got an empty parameter list"]),
    ("SGD set", lambda L: L.optim.SGD([{"params": {w(L, 1)}}], lr=0.1), ["ordered collections"]),
    ("SGD non-leaf", lambda L: L.optim.SGD([w(L, 1) * 2], lr=0.1), ["can't optimize a non-leaf Tensor"]),
    ("SGD shared across groups", lambda L: (lambda p: L.optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1))(w(L, 1)),
     ["some parameters appear in more than one parameter group"]),
    ("SGD group without params", lambda L: L.optim.SGD([{"lr": 0.1}]), ["params"]),
    ("SGD negative lr", lambda L: L.optim.SGD([w(L, 1)], lr=-0.1), ["Invalid learning rate: -0.1"]),
    ("SGD negative momentum", lambda L: L.optim.SGD([w(L, 1)], lr=0.1, momentum=-1), ["Invalid momentum value: -1"]),
    ("SGD negative weight_decay", lambda L: L.optim.SGD([w(L, 1)], lr=0.1, weight_decay=-1),
     ["Invalid weight_decay value: -1"]),
    ("SGD nesterov no momentum", lambda L: L.optim.SGD([w(L, 1)], lr=0.1, nesterov=True),
     ["Nesterov momentum requires a momentum and zero dampening"]),
    ("SGD nesterov dampening", lambda L: L.optim.SGD([w(L, 1)], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
     ["Nesterov momentum requires a momentum and zero dampening"]),
    ("add_param_group list", lambda L: L.optim.SGD([w(L, 1)], lr=0.1).add_param_group([w(L, 1)]), ["param_group must be a dict"]),
    ("add_param_group floats", lambda L: L.optim.SGD([w(L, 1)], lr=0.1).add_param_group({"params": [1.0]}),
     ["optimizer can only optimize Tensors, but one of the params is float"]),
    ("add_param_group duplicate", lambda L: (lambda p: L.optim.SGD([p], lr=0.1).add_param_group({"params": [p]}))(w(L, 1)),
     ["some parameters appear in more than one parameter group"]),
    ("Adam negative lr", lambda L: L.optim.Adam([w(L, 1)], lr=-1), ["Invalid learning rate: -1"]),
    ("Adam negative eps", lambda L: L.optim.Adam([w(L, 1)], eps=-1), ["Invalid epsilon value: -1"]),
    ("Adam beta1 1", lambda L: L.optim.Adam([w(L, 1)], betas=(1.0, 0.9)), ["Invalid beta parameter at index 0: 1.0"]),
    ("Adam beta2 negative", lambda L: L.optim.Adam([w(L, 1)], betas=(0.9, -0.1)), ["Invalid beta parameter at index 1: -0.1"]),
    ("Adam negative weight_decay", lambda L: L.optim.Adam([w(L, 1)], weight_decay=-1), ["Invalid weight_decay value: -1"]),
    ("AdamW negative lr", lambda L: L.optim.AdamW([w(L, 1)], lr=-1), ["Invalid learning rate: -1"]),
    ("AdamW beta 1.5", lambda L: L.optim.AdamW([w(L, 1)], betas=(0.9, 1.5)), ["Invalid beta parameter at index 1: 1.5"]),
    ("AdamW negative eps", lambda L: L.optim.AdamW([w(L, 1)], eps=-1e-8), ["Invalid epsilon value"]),
    ("AdamW negative weight_decay", lambda L: L.optim.AdamW([w(L, 1)], weight_decay=-0.1), ["Invalid weight_decay value: -0.1"]),
    ("RMSprop negative lr", lambda L: L.optim.RMSprop([w(L, 1)], lr=-1), ["Invalid learning rate: -1"]),
    ("RMSprop negative alpha", lambda L: L.optim.RMSprop([w(L, 1)], alpha=-1), ["Invalid alpha value: -1"]),
    ("RMSprop negative eps", lambda L: L.optim.RMSprop([w(L, 1)], eps=-1), ["Invalid epsilon value: -1"]),
    ("RMSprop negative momentum", lambda L: L.optim.RMSprop([w(L, 1)], momentum=-1), ["Invalid momentum value: -1"]),
    ("RMSprop negative weight_decay", lambda L: L.optim.RMSprop([w(L, 1)], weight_decay=-1), ["Invalid weight_decay value: -1"]),
    ("Adagrad negative lr", lambda L: L.optim.Adagrad([w(L, 1)], lr=-1), ["Invalid learning rate: -1"]),
    ("Adagrad negative lr_decay", lambda L: L.optim.Adagrad([w(L, 1)], lr_decay=-1), ["Invalid lr_decay value: -1"]),
    ("Adagrad negative weight_decay", lambda L: L.optim.Adagrad([w(L, 1)], weight_decay=-1), ["Invalid weight_decay value: -1"]),
    ("Adagrad negative accumulator", lambda L: L.optim.Adagrad([w(L, 1)], initial_accumulator_value=-1),
     ["Invalid initial_accumulator_value value: -1"]),
    ("Adagrad negative eps", lambda L: L.optim.Adagrad([w(L, 1)], eps=-1), ["Invalid epsilon value: -1"]),
    ("Adadelta negative lr", lambda L: L.optim.Adadelta([w(L, 1)], lr=-1), ["Invalid learning rate: -1"]),
    ("Adadelta rho above 1", lambda L: L.optim.Adadelta([w(L, 1)], rho=1.5), ["Invalid rho value: 1.5"]),
    ("Adadelta negative eps", lambda L: L.optim.Adadelta([w(L, 1)], eps=-1), ["Invalid epsilon value: -1"]),
    ("Adadelta negative weight_decay", lambda L: L.optim.Adadelta([w(L, 1)], weight_decay=-1), ["Invalid weight_decay value: -1"]),
    ("Adam capturable on the CPU", lambda L: (lambda p: L.optim.Adam([p], capturable=True).step())(with_grad(L)),
     ["If capturable=True, params and state_steps must be on supported devices"]),
    ("RMSprop capturable on the CPU", lambda L: (lambda p: L.optim.RMSprop([p], capturable=True).step())(with_grad(L)),
     ["If capturable=True"]),
    ("optimizer load_state_dict tensor", lambda L: L.optim.SGD([w(L, 1)], lr=0.1).load_state_dict(L.torch.ones(1)),
     []),
    ("optimizer load_state_dict list", lambda L: L.optim.SGD([w(L, 1)], lr=0.1).load_state_dict([]), []),
    ("optimizer load_state_dict groups",
     lambda L: L.optim.SGD([w(L, 1)], lr=0.1).load_state_dict(
         L.optim.SGD([{"params": [w(L, 1)]}, {"params": [w(L, 1)]}], lr=0.1).state_dict()),
     ["loaded state dict has a different number of parameter groups"]),
    ("optimizer load_state_dict group size",
     lambda L: L.optim.SGD([w(L, 1)], lr=0.1).load_state_dict(L.optim.SGD([w(L, 1), w(L, 1)], lr=0.1).state_dict()),
     ["loaded state dict contains a parameter group that doesn't match the size of optimizer's group"]),
    ("optimizer load_state_dict no groups", lambda L: L.optim.SGD([w(L, 1)], lr=0.1).load_state_dict({"state": {}}),
     ["param_groups"]),
    # ---- utils.data -------------------------------------------------------------------------------------------
    ("DataLoader batch_size 0", lambda L: dl(L, batch_size=0), ["batch_size should be a positive integer value, but got batch_size=0"]),
    ("DataLoader batch_size -1", lambda L: dl(L, batch_size=-1), ["batch_size=-1"]),
    ("DataLoader batch_size float", lambda L: dl(L, batch_size=1.5), ["batch_size=1.5"]),
    ("DataLoader batch_size bool", lambda L: dl(L, batch_size=True), ["batch_size=True"]),
    ("DataLoader num_workers -1", lambda L: dl(L, num_workers=-1), ["num_workers option should be non-negative"]),
    ("DataLoader sampler and shuffle", lambda L: dl(L, sampler=[0, 1], shuffle=True), ["sampler option is mutually exclusive with shuffle"]),
    ("DataLoader batch_sampler and batch_size", lambda L: dl(L, batch_sampler=[[0, 1]], batch_size=2),
     ["batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, and drop_last"]),
    ("DataLoader batch_sampler and shuffle", lambda L: dl(L, batch_sampler=[[0, 1]], shuffle=True), ["batch_sampler option is mutually exclusive"]),
    ("DataLoader batch_sampler and sampler", lambda L: dl(L, batch_sampler=[[0, 1]], sampler=[0]), ["batch_sampler option is mutually exclusive"]),
    ("DataLoader batch_sampler and drop_last", lambda L: dl(L, batch_sampler=[[0, 1]], drop_last=True), ["batch_sampler option is mutually exclusive"]),
    ("DataLoader batch_size None drop_last", lambda L: dl(L, batch_size=None, drop_last=True),
     ["batch_size=None option disables auto-batching and is mutually exclusive with drop_last"]),
    ("DataLoader persistent no workers", lambda L: dl(L, persistent_workers=True), ["persistent_workers option needs num_workers > 0"]),
    ("DataLoader prefetch no workers", lambda L: dl(L, prefetch_factor=2), ["prefetch_factor option could only be specified in multiprocessing"]),
    ("DataLoader negative timeout", lambda L: dl(L, timeout=-1), ["timeout option should be non-negative"]),
    ("DataLoader negative prefetch", lambda L: dl(L, num_workers=1, prefetch_factor=-1), ["prefetch_factor option should be non-negative"]),
    ("DataLoader multiprocessing_context without workers", lambda L: dl(L, multiprocessing_context="spawn"),
     ["multiprocessing_context can only be used with multi-process loading (num_workers > 0), but got num_workers=0"]),
    ("DataLoader unknown start method", lambda L: dl(L, num_workers=1, multiprocessing_context="x"),
     ["multiprocessing_context option should specify a valid start method in", "but got multiprocessing_context='x'"]),
    ("DataLoader int generator", lambda L: list(dl(L, shuffle=True, generator=5)), ["generator"]),
    ("random_split int generator", lambda L: L.data.random_split(ds(L), [1, 2], generator=5), ["generator"]),
    ("rand int generator", lambda L: L.torch.rand(3, generator=5), ["generator"]),
    ("DataLoader drop_last int", lambda L: dl(L, drop_last=1), ["drop_last should be a boolean value, but got drop_last=1"]),
    ("collate unequal tensors", lambda L: L.data.default_collate([L.torch.zeros(2), L.torch.zeros(3)]),
     ["stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1"]),
    ("collate unequal arrays", lambda L: L.data.default_collate([np.zeros(2), np.zeros(3)]),
     ["stack expects each tensor to be equal size, but got [2] at entry 0 and [3] at entry 1"]),
    ("collate unequal lists", lambda L: L.data.default_collate([[1, 2], [3]]), ["each element in list of batch should be of equal size"]),
    ("collate objects", lambda L: L.data.default_collate([object(), object()]),
     ["default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <class 'object'>"]),
    ("collate None", lambda L: L.data.default_collate([None, None]), ["found <class 'NoneType'>"]),
    ("collate str arrays", lambda L: L.data.default_collate([np.array(["a"]), np.array(["b"])]),
     ["default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <U1"]),
    ("collate object arrays", lambda L: L.data.default_collate([np.array([None]), np.array([None])]), ["found object"]),
    ("collate tensor and array", lambda L: L.data.default_collate([L.torch.zeros(2), np.zeros(2)]),
     ["expected Tensor as element 1 in argument 0, but got numpy.ndarray"]),
    ("collate empty", lambda L: L.data.default_collate([]), ["list index out of range"]),
    ("collate dict missing key", lambda L: L.data.default_collate([{"a": 1}, {"b": 2}]), ["a"]),
    ("TensorDataset size mismatch", lambda L: L.data.TensorDataset(L.torch.zeros(3), L.torch.zeros(4)), ["Size mismatch between tensors"]),
    ("TensorDataset of 0-d", lambda L: L.data.TensorDataset(L.torch.tensor(1.0)), []),
    ("Parameter of ints", lambda L: L.nn.Parameter(L.torch.tensor([1])), ["Only Tensors of floating point and complex dtype can require gradients"]),
    ("Subset index", lambda L: L.data.Subset(ds(L), [0, 1])[2], ["list index out of range"]),
    ("ConcatDataset empty", lambda L: L.data.ConcatDataset([]), ["datasets should not be an empty iterable"]),
    ("ConcatDataset too negative", lambda L: L.data.ConcatDataset([ds(L)])[-4], ["absolute value of index should not exceed dataset length"]),
    ("ConcatDataset past end", lambda L: L.data.ConcatDataset([ds(L)])[3], ["list index out of range"]),
    ("Dataset getitem", lambda L: L.data.Dataset()[0], ["Subclasses of Dataset should implement __getitem__."]),
    ("random_split wrong sum", lambda L: L.data.random_split(ds(L), [1, 1]),
     ["Sum of input lengths does not equal the length of the input dataset!"]),
    ("random_split fractions", lambda L: L.data.random_split(ds(L), [1.5, -0.5]), ["Fraction at index 0 is not between 0 and 1"]),
    ("random_split fractions short", lambda L: L.data.random_split(ds(L), [0.5, 0.4]),
     ["Sum of input lengths does not equal the length of the input dataset!"]),
    # ---- vision -----------------------------------------------------------------------------------------------
    ("Normalize channels", lambda L: L.T.Normalize([0.5] * 3, [0.5] * 3)(img(L, 1)),
     ["output with shape [1, 4, 4] doesn't match the broadcast shape [3, 4, 4]"]),
    ("Normalize std channels", lambda L: L.T.Normalize([0.5], [0.5, 0.5])(img(L, 3)),
     ["The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"]),
    ("Normalize std 0", lambda L: L.T.Normalize([0.5], [0.0])(img(L)), ["std evaluated to zero after conversion to"]),
    ("Normalize int image", lambda L: L.T.Normalize([0.5], [0.5])(img(L, 1, L.torch.uint8)),
     ["Input tensor should be a float tensor. Got"]),
    ("Normalize 2-D", lambda L: L.T.Normalize([0.5], [0.5])(L.torch.ones(4, 4)),
     ["Expected tensor to be a tensor image of size (..., C, H, W). Got tensor.size() ="]),
    ("Normalize ndarray", lambda L: L.T.Normalize([0.5], [0.5])(np.ones((1, 4, 4), np.float32)),
     ["img should be Tensor Image. Got <class 'numpy.ndarray'>"]),
    ("Normalize means of 2 channels", lambda L: L.T.Normalize([0.5] * 2, [0.5] * 2)(img(L, 3)),
     ["The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0"]),
    ("Normalize no means", lambda L: L.T.Normalize([], [])(img(L)), ["output with shape [1, 4, 4] doesn't match the broadcast shape [0, 4, 4]"]),
    ("Normalize str mean", lambda L: L.T.Normalize("ab", [0.5])(img(L)), ["new(): invalid data type 'str'"]),
    ("Normalize tiny std", lambda L: L.T.Normalize([0.5], [1e-50])(img(L)), ["std evaluated to zero after conversion to torch.float32"]),
    ("ToTensor list", lambda L: L.T.ToTensor()([[1, 2]]), ["pic should be PIL Image or ndarray. Got <class 'list'>"]),
    ("ToTensor tensor", lambda L: L.T.ToTensor()(L.torch.ones(2, 2)), ["pic should be PIL Image or ndarray. Got"]),
    ("ToTensor 4-D", lambda L: L.T.ToTensor()(np.zeros((1, 2, 3, 4), np.uint8)), ["pic should be 2/3 dimensional. Got 4 dimensions."]),
    ("ToTensor 1-D", lambda L: L.T.ToTensor()(np.zeros(3, np.uint8)), ["pic should be 2/3 dimensional. Got 1 dimensions."]),
    ("Lambda non-callable", lambda L: L.T.Lambda(3), ["Argument lambd should be callable, got 'int'"]),
    ("Compose non-callable", lambda L: L.T.Compose([5])(img(L)), ["'int' object is not callable"]),
    ("Compose not iterable", lambda L: L.T.Compose(5)(img(L)), ["not iterable"]),
    ("RandomHorizontalFlip list", lambda L: L.T.RandomHorizontalFlip(p=1.0)([1, 2]), ["img should be PIL Image. Got <class 'list'>"]),
    ("RandomHorizontalFlip 1-d tensor", lambda L: L.T.RandomHorizontalFlip(p=1.0)(L.torch.ones(3)), ["Tensor is not a torch image."]),
    ("make_grid str pad_value", lambda L: L.vutils.make_grid(L.torch.ones(2, 1, 2, 2), pad_value="a"),
     ["argument 'fill_value' (position 2) must be Number, not str"]),
    ("decode_image of floats", lambda L: L.io.decode_image(L.torch.ones(3)), ["Expected a torch.uint8 tensor"]),
    ("decode_image of a 2-d tensor", lambda L: L.io.decode_image(L.torch.ones(3, 3, dtype=L.torch.uint8)),
     ["Expected a non empty 1-dimensional tensor"]),
    ("decode_image of garbage", lambda L: L.io.decode_image(L.torch.ones(30, dtype=L.torch.uint8)),
     ["Unsupported image file. Only jpeg, png, webp and gif are currently supported."]),
    ("make_grid 1-D", lambda L: L.vutils.make_grid(L.torch.ones(4)), []),
    ("make_grid 0-D", lambda L: L.vutils.make_grid(L.torch.tensor(1.0)), []),
    ("make_grid 5-D", lambda L: L.vutils.make_grid(L.torch.ones(2, 1, 1, 2, 2)), []),
    ("make_grid negative nrow", lambda L: L.vutils.make_grid(L.torch.ones(2, 1, 2, 2), nrow=-1),
     ["Trying to create tensor with negative dimension"]),
    ("make_grid short value_range", lambda L: L.vutils.make_grid(L.torch.ones(2, 1, 2, 2), normalize=True, value_range=(0,)),
     ["tuple index out of range"]),
    ("make_grid normalize uint8", lambda L: L.vutils.make_grid(L.torch.ones(2, 1, 2, 2, dtype=L.torch.uint8), normalize=True),
     ["can't be cast to the desired output type"]),
    ("make_grid empty batch", lambda L: L.vutils.make_grid(L.torch.ones(0, 1, 2, 2)), []),
    ("make_grid negative padding", lambda L: L.vutils.make_grid(L.torch.ones(2, 1, 2, 2), padding=-1), []),
    ("make_grid int", lambda L: L.vutils.make_grid(5), ["tensor or list of tensors expected, got <class 'int'>"]),
    ("make_grid ndarray list", lambda L: L.vutils.make_grid([np.zeros((2, 2))]), ["tensor or list of tensors expected, got a list containing"]),
    ("make_grid unequal list", lambda L: L.vutils.make_grid([L.torch.ones(1, 2, 2), L.torch.ones(1, 3, 3)]),
     ["stack expects each tensor to be equal size, but got [1, 2, 2] at entry 0 and [1, 3, 3] at entry 1"]),
    ("make_grid empty list", lambda L: L.vutils.make_grid([]), ["stack expects a non-empty TensorList"]),
    ("make_grid value_range list", lambda L: L.vutils.make_grid(L.torch.ones(2, 1, 2, 2), normalize=True, value_range=[0, 1]),
     ["value_range has to be a tuple (min, max) if specified. min and max are numbers"]),
    ("make_grid nrow 0", lambda L: L.vutils.make_grid(L.torch.ones(2, 1, 2, 2), nrow=0), ["division by zero"]),
    ("save_image 1-D", lambda L: L.vutils.save_image(L.torch.ones(4), "/nonexistent/x.png"), []),
    ("save_image nrow 0", lambda L: L.vutils.save_image(L.torch.ones(2, 1, 2, 2), "/nonexistent/x.png", nrow=0), ["division by zero"]),
    ("save_image missing folder", lambda L: L.vutils.save_image(L.torch.ones(1, 2, 2), "/nonexistent/x.png"), ["No such file or directory"]),
]


def read_only(L):
    a = np.zeros(2)
    a.flags.writeable = False
    return L.torch.from_numpy(a)


def pinned(L):
    return list(dl(L, pin_memory=True))


# (description, input that warns, key words of torch's warning); torch's category is the one to match
WARNINGS = [
    ("SGD duplicate params", lambda L: (lambda p: L.optim.SGD([p, p], lr=0.1))(w(L, 1)),
     ["optimizer contains a parameter group with duplicate parameters"]),
    ("Adam duplicate params in a group", lambda L: (lambda p: L.optim.Adam([{"params": [p, p]}]))(w(L, 1)),
     ["optimizer contains a parameter group with duplicate parameters"]),
    ("add_param_group duplicate params",
     lambda L: (lambda p: L.optim.SGD([w(L, 1)], lr=0.1).add_param_group({"params": [p, p]}))(w(L, 1)),
     ["duplicate parameters"]),
    ("MSELoss target size", lambda L: L.nn.MSELoss()(t(L, 4, 1), t(L, 4)),
     ["Using a target size (torch.Size([4])) that is different to the input size (torch.Size([4, 1])). This will likely lead "
      "to incorrect results due to broadcasting. Please ensure they have the same size."]),
    ("mse_loss target size", lambda L: L.nn.functional.mse_loss(t(L, 3), t(L, 2, 3), reduction="sum"),
     ["Using a target size (torch.Size([2, 3])) that is different to the input size (torch.Size([3]))"]),
    ("L1Loss target size", lambda L: L.nn.L1Loss()(t(L, 4, 1), t(L, 4)), ["Using a target size (torch.Size([4]))"]),
    ("MSELoss size_average", lambda L: L.nn.MSELoss(size_average=False),
     ["size_average and reduce args will be deprecated, please use reduction='sum' instead."]),
    ("CrossEntropyLoss reduce", lambda L: L.nn.CrossEntropyLoss(reduce=False), ["please use reduction='none' instead."]),
    ("mse_loss size_average", lambda L: L.nn.functional.mse_loss(t(L, 2), t(L, 2), size_average=True),
     ["please use reduction='mean' instead."]),
    ("Softmin without dim", lambda L: L.nn.Softmin()(t(L, 2, 3)), ["Implicit dimension choice for softmin has been deprecated"]),
    ("softmin without dim", lambda L: L.nn.functional.softmin(t(L, 3)), ["Implicit dimension choice for softmin"]),
    ("kaiming of an empty tensor", lambda L: L.nn.init.kaiming_normal_(t(L, 0, 3)), ["Initializing zero-element tensors is a no-op"]),
    ("Linear with no inputs", lambda L: L.nn.Linear(0, 3), ["Initializing zero-element tensors is a no-op"]),
    ("Dropout2d 2-d input", lambda L: L.nn.Dropout2d()(t(L, 2, 3)), ["dropout2d: Received a 2-D input to dropout2d"]),
    ("scheduler stepped before optimizer", lambda L: L.optim.lr_scheduler.StepLR(sgd(L), 1).step(),
     ["Detected call of `lr_scheduler.step()` before `optimizer.step()`."]),
    ("OneCycleLR stepped before optimizer", lambda L: L.optim.lr_scheduler.OneCycleLR(sgd(L), 1.0, total_steps=5).step(),
     ["Detected call of `lr_scheduler.step()` before `optimizer.step()`."]),
    ("tensor of a tensor", lambda L: L.torch.tensor(L.torch.ones(2)),
     ["To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone()"]),
    ("random_split empty split", lambda L: L.data.random_split(ds(L), [0.9, 0.1]),
     ["Length of split at index 1 is 0. This might result in an empty dataset."]),
    ("random_split empty first split", lambda L: L.data.random_split(ds(L), [0.0, 1.0]), ["Length of split at index 0 is 0"]),
    ("DataLoader too many workers", lambda L: dl(L, num_workers=len(os.sched_getaffinity(0)) + 3),
     ["worker processes in total. Our suggested max number of worker in current system is"]),
    ("DataLoader pin_memory without accelerator", pinned,
     ["'pin_memory' argument is set as true but no accelerator is found"]),
]

# torch warns these once per process (TORCH_WARN_ONCE), so its side runs in a fresh interpreter:
# (description, input, the same input as Python source for torch, key words)
FRESH_WARNINGS = [
    ("from_numpy read-only", read_only,
     "a = numpy.zeros(2); a.flags.writeable = False; torch.from_numpy(a)", ["The given NumPy array is not writable"]),
    ("tensor of a list of arrays", lambda L: L.torch.tensor([np.zeros(2), np.zeros(2)]),
     "torch.tensor([numpy.zeros(2), numpy.zeros(2)])", ["Creating a tensor from a list of numpy.ndarrays is extremely slow"]),
]

# torch accepts these and returns something wrong or meaningless; minigrad refuses: (description, input, class,
# key words of minigrad's message)
STRICTER = [
    ("random_split negative length", lambda L: L.data.random_split(ds(L), [-1, 4]), ValueError,
     ["Length of split at index 0 is negative: -1"]),
    ("sdpa value length unlike key length", lambda L: L.nn.functional.scaled_dot_product_attention(t(L, 2, 3, 4), t(L, 2, 5, 4), t(L, 2, 6, 4)),
     RuntimeError, ["cannot be multiplied"]),
    ("make_grid 5-D batch of one", lambda L: L.vutils.make_grid(L.torch.ones(1, 1, 1, 2, 2)), RuntimeError,
     ["got 5 dimensions"]),
]


def message(e):
    """An exception's message (a KeyError's without the quotes str() adds)."""
    return e.args[0] if isinstance(e, KeyError) and e.args else str(e)


def outcome(fn, L):
    """(exception or None, warnings) of running fn(L)."""
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        try:
            fn(L)
        except Exception as e:  # noqa: BLE001  the exception is the result here
            return e, got
    return None, got


def check_same_error(fn, words):
    """fn raises in torch; minigrad raises the same class, with torch's key words in its message."""
    want, _ = outcome(fn, LIBS["torch"])
    assert want is not None, "torch raised nothing: not a bad input"
    for word in words:
        assert word in message(want), f"key words not in torch's message: {word!r} vs {want}"
    got, _ = outcome(fn, LIBS["minigrad"])
    assert type(got) is type(want), f"minigrad: {type(got).__name__}({got}) vs torch: {type(want).__name__}({want})"
    for word in words:  # torch's names may read minigrad's in minigrad's message
        assert word in message(got) or word.replace("torch.", "minigrad.") in message(got), f"{word!r} not in {got!r}"


def matching(warns, words):
    """The categories of the recorded warnings whose message holds every key word."""
    return {x.category for x in warns if all(word in str(x.message) for word in words)}


def check_same_warning(fn, words):
    """fn warns in torch; minigrad warns with the same category, with torch's key words (or minigrad's names)."""
    err, warns = outcome(fn, LIBS["torch"])
    assert err is None and matching(warns, words), f"torch: {err!r}, {[str(x.message) for x in warns]}"
    err, got = outcome(fn, LIBS["minigrad"])
    assert err is None, repr(err)
    mine = matching(got, words) | matching(got, [word.replace("torch.", "minigrad.") for word in words])
    assert mine == matching(warns, words), [(x.category, str(x.message)) for x in got]


@pytest.mark.parametrize("desc, fn, words", CASES, ids=[c[0] for c in CASES])
def test_same_error_as_torch(desc, fn, words):
    check_same_error(fn, words)


@pytest.mark.parametrize("desc, fn, words", WARNINGS, ids=[c[0] for c in WARNINGS])
def test_same_warning_as_torch(desc, fn, words):
    check_same_warning(fn, words)


@pytest.mark.parametrize("desc, fn, source, words", FRESH_WARNINGS, ids=[c[0] for c in FRESH_WARNINGS])
def test_same_warning_as_fresh_torch(desc, fn, source, words):
    code = ("import warnings, numpy, torch\nwarnings.simplefilter('always')\nwith warnings.catch_warnings(record=True) "
            f"as w:\n    {source}\nfor x in w:\n    print(x.category.__name__, x.message)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    want = {line.split(" ", 1)[0] for line in out.splitlines() if all(word in line for word in words)}
    assert want, out
    err, got = outcome(fn, LIBS["minigrad"])
    assert err is None, repr(err)
    assert {c.__name__ for c in matching(got, words)} == want, [(x.category, str(x.message)) for x in got]


@pytest.mark.parametrize("desc, fn, cls, words", STRICTER, ids=[c[0] for c in STRICTER])
def test_refused_where_torch_is_silent(desc, fn, cls, words):
    err, _ = outcome(fn, LIBS["torch"])
    assert err is None, f"torch now raises {err!r}: move this case to CASES"
    err, _ = outcome(fn, LIBS["minigrad"])
    assert type(err) is cls and all(word in message(err) for word in words), repr(err)


def test_options_minigrad_cannot_honour_are_refused():
    """Accepted and ignored, these would give a silently different result: minigrad refuses them."""
    with pytest.raises(NotImplementedError, match="differentiable=True is not supported"):
        minigrad.optim.SGD([w(LIBS["minigrad"], 1)], lr=0.1, differentiable=True)
    for make in (lambda: minigrad.Generator("cuda"), lambda: minigrad.nn.Linear(2, 2, device="cuda"),
                 lambda: minigrad.nn.BatchNorm1d(2, device="cuda"), lambda: minigrad.nn.Embedding(2, 2, device="cuda")):
        with pytest.raises(RuntimeError, match="CPU only"):
            make()
