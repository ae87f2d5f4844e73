"""Learn the Basics, Tensors (and the blitz's tensor page): creation, attributes, indexing, joining, arithmetic, numpy bridge."""
import numpy as np
from swap import run_both, same_error


def tensors(lib):
    data = [[1, 2], [3, 4]]
    x_data = lib.tensor(data)
    np_array = np.array(data)
    x_np = lib.from_numpy(np_array)
    x_ones = lib.ones_like(x_data)
    x_rand = lib.rand_like(x_data, dtype=lib.float)
    out = {"x_data": x_data, "x_np": x_np, "x_ones": x_ones,
           "rand": (x_rand.shape, x_rand.dtype, bool(((x_rand >= 0) & (x_rand < 1)).all()))}
    shape = (2, 3,)
    out["made"] = [(t.shape, t.dtype) for t in (lib.rand(shape), lib.ones(shape), lib.zeros(shape))]
    out["ones, zeros"] = lib.ones(shape), lib.zeros(shape)
    tensor = lib.rand(3, 4)
    out["attributes"] = tensor.shape, tensor.dtype, str(tensor.device)
    if lib.accelerator.is_available():  # the tutorial moves its tensors to the accelerator when there is one
        tensor = tensor.to(lib.accelerator.current_accelerator())

    tensor = lib.ones(4, 4)
    out["first row"], out["first column"], out["last column"] = tensor[0], tensor[:, 0], tensor[..., -1]
    tensor[:, 1] = 0
    out["tensor"] = tensor
    out["cat"] = lib.cat([tensor, tensor, tensor], dim=1)

    tensor = lib.from_numpy(np.arange(16, dtype=np.float32).reshape(4, 4))
    y1 = tensor @ tensor.T
    y2 = tensor.matmul(tensor.T)
    y3 = lib.rand_like(y1)
    lib.matmul(tensor, tensor.T, out=y3)
    z1 = tensor * tensor
    z2 = tensor.mul(tensor)
    z3 = lib.rand_like(tensor)
    lib.mul(tensor, tensor, out=z3)
    out["products"] = y1, y2, y3, z1, z2, z3
    agg = tensor.sum()
    agg_item = agg.item()
    out["agg"] = agg_item, type(agg_item).__name__
    tensor.add_(5)
    out["add_"] = tensor

    t = lib.ones(5)
    n = t.numpy()
    t.add_(1)
    out["tensor -> numpy shares memory"] = n.copy()
    n = np.ones(5)
    t = lib.from_numpy(n)
    np.add(n, 1, out=n)
    out["numpy -> tensor shares memory"] = t
    return out


def test_tensors():
    want = run_both(tensors)
    assert want["numpy -> tensor shares memory"].tolist() == [2.0] * 5 and want["agg"] == [120.0, "float"]


def test_tensor_errors():
    same_error(lambda lib: lib.ones(4, 4) @ lib.ones(3, 4), "mat1 and mat2 shapes cannot be multiplied")
    same_error(lambda lib: lib.cat([lib.ones(2, 2), lib.ones(3, 3)], dim=1), "Sizes of tensors must match")
    same_error(lambda lib: lib.ones(4, 4)[4])
