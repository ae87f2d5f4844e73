"""60-minute blitz, Tensors: the same first steps as Learn the Basics, printed: creation, attributes, moving to an
accelerator when there is one, indexing, cat, the element-wise and matrix products, in-place add, the numpy bridge."""
import numpy as np
from swap import run_both, tied_rand


def blitz_tensors(lib):
    data = [[1, 2], [3, 4]]
    x_data = lib.tensor(data)
    x_np = lib.from_numpy(np.array(data))
    x_ones = lib.ones_like(x_data)  # retains the properties of x_data
    x_rand = lib.rand_like(x_data, dtype=lib.float)  # overrides the datatype of x_data
    out = {"print x_data": str(x_data), "print x_np": str(x_np), "print x_ones": f"Ones Tensor: \n {x_ones} \n",
           "rand like": (x_rand.shape, x_rand.dtype)}
    shape = (2, 3,)
    out["print made"] = f"Ones Tensor: \n {lib.ones(shape)} \n\nZeros Tensor: \n {lib.zeros(shape)}"
    tensor = lib.rand(3, 4)
    out["print attributes"] = (f"Shape of tensor: {tensor.shape}\nDatatype of tensor: {tensor.dtype}\n"
                               f"Device tensor is stored on: {tensor.device}")
    if lib.accelerator.is_available():
        tensor = tensor.to(lib.accelerator.current_accelerator())
    out["cuda"] = lib.cuda.is_available()

    tensor = lib.ones(4, 4)
    tensor[:, 1] = 0
    out["print tensor"] = f"{tensor}"
    t1 = lib.cat([tensor, tensor, tensor], dim=1)
    out["print cat"] = str(t1)
    tensor = tied_rand(lib, 4, 4)
    out["print mul"] = f"tensor.mul(tensor) \n {tensor.mul(tensor)} \n\ntensor * tensor \n {tensor * tensor}"
    out["print matmul"] = f"tensor.matmul(tensor.T) \n {tensor.matmul(tensor.T)} \n\ntensor @ tensor.T \n {tensor @ tensor.T}"
    out["products"] = tensor.mul(tensor), tensor * tensor, tensor.matmul(tensor.T), tensor @ tensor.T
    out["print before add_"] = str(tensor)
    tensor.add_(5)
    out["print add_"] = str(tensor)

    t = lib.ones(5)
    n = t.numpy()
    t.add_(1)
    out["print bridge"] = f"t: {t}\nn: {n}"
    n = np.ones(5)
    t = lib.from_numpy(n)
    np.add(n, 1, out=n)
    out["print numpy to tensor"] = f"t: {t}\nn: {n}"
    return out


def test_blitz_tensors():
    want = run_both(blitz_tensors, rtol=1e-6)
    assert want["print numpy to tensor"] == "t: tensor([2., 2., 2., 2., 2.], dtype=torch.float64)\nn: [2. 2. 2. 2. 2.]"
    assert want["print bridge"] == "t: tensor([2., 2., 2., 2., 2.])\nn: [2. 2. 2. 2. 2.]" and want["cuda"] is False
