"""Learn the Basics, Save and Load the Model: state_dict to a file and back (weights_only=True), eval mode."""
from swap import run_both, set_weights, tied_rand

# the tutorial saves torchvision's VGG16 with ImageNet weights: a download, and models are out of minigrad's scope;
# the quickstart's layers in a Sequential (a library class, as VGG16 is) stand in for it


def model_of(lib):
    nn = lib.nn
    return nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 10))


def save_and_load_weights(lib, tmp_path):
    x = tied_rand(lib, 4, 1, 28, 28)
    model = set_weights(model_of(lib), lib)
    path = tmp_path / f"{lib.__name__}_weights.pth"
    lib.save(model.state_dict(), path)
    loaded = model_of(lib)
    result = loaded.load_state_dict(lib.load(path, weights_only=True))
    loaded.eval()
    out = {"keys": (list(result.missing_keys), list(result.unexpected_keys)), "state": loaded.state_dict(),
           "training": (model.training, loaded.training)}
    with lib.no_grad():
        out["same output"] = lib.equal(loaded(x), model(x))
    return out


def test_save_and_load_weights(tmp_path):
    want = run_both(save_and_load_weights, tmp_path)
    assert want["keys"] == [[], []] and want["same output"] is True and want["training"] == [True, False]
