"""Learn the Basics, Build the Model: the MLP's layers one by one (Flatten, Linear, ReLU, Sequential, Softmax), its parameters."""
from swap import run_both, set_weights, tied_rand, values
from test_basics_quickstart import neural_network


def build_model(lib):
    nn = lib.nn
    device = lib.accelerator.current_accelerator().type if lib.accelerator.is_available() else "cpu"
    model = set_weights(neural_network(lib).to(device), lib)
    out = {"device": device, "print model": str(model)}
    X = tied_rand(lib, 1, 28, 28).to(device)
    logits = model(X)
    pred_probab = nn.Softmax(dim=1)(logits)
    y_pred = pred_probab.argmax(1)
    out["logits"], out["probabilities"], out["predicted"] = logits, pred_probab, y_pred
    out["print predicted"] = f"Predicted class: {y_pred}"

    input_image = tied_rand(lib, 3, 28, 28, seed=1)
    out["input size"] = input_image.size()
    flatten = nn.Flatten()
    flat_image = flatten(input_image)
    layer1 = set_weights(nn.Linear(in_features=28 * 28, out_features=20), lib, seed=1)
    hidden1 = layer1(flat_image)
    out["sizes"] = flat_image.size(), hidden1.size()
    out["before ReLU"], out["print before ReLU"] = hidden1, f"Before ReLU: {hidden1}\n\n"
    hidden1 = nn.ReLU()(hidden1)
    out["after ReLU"], out["print after ReLU"] = hidden1, f"After ReLU: {hidden1}"
    seq_modules = set_weights(nn.Sequential(flatten, layer1, nn.ReLU(), nn.Linear(20, 10)), lib, seed=2)
    logits = seq_modules(input_image)
    out["sequential"], out["print sequential"] = (logits, nn.Softmax(dim=1)(logits)), str(seq_modules)
    out["parameters"] = [(name, param.size(), param[:2]) for name, param in model.named_parameters()]
    out["print parameters"] = [f"Layer: {name} | Size: {param.size()} | Values : {param[:2]} \n"
                               for name, param in model.named_parameters()]
    return out


def test_build_model():
    want = run_both(build_model, rtol=2e-5, atol=1e-6, keys=values)
    assert want["predicted"].shape == (1,) and len(want["parameters"]) == 6

