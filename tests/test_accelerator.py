"""minigrad.accelerator answers like torch.accelerator in a build without accelerators, so the tutorials' device
line picks the CPU."""
import pytest
import torch

import minigrad


def test_tutorial_device_line_picks_the_cpu():
    acc = minigrad.accelerator
    device = acc.current_accelerator().type if acc.is_available() else "cpu"
    assert device == "cpu"
    model = minigrad.nn.Linear(2, 1).to(device)
    assert model(minigrad.ones(3, 2).to(device)).device == minigrad.device("cpu")


def test_answers_and_types_match_torch_without_accelerators():
    acc = minigrad.accelerator
    assert acc.is_available() is False and type(acc.is_available()) is type(torch.accelerator.is_available())
    assert acc.device_count() == 0 and type(acc.device_count()) is type(torch.accelerator.device_count())
    assert acc.current_accelerator() is None and acc.current_accelerator(check_available=True) is None
    # this torch build is compiled with CUDA, so it names 'cuda' unless asked whether one is usable
    assert torch.accelerator.current_accelerator(check_available=True) is None or torch.accelerator.is_available()
    for fn in (acc.current_device_index, lambda: acc.set_device_index(0), acc.synchronize):
        with pytest.raises(RuntimeError, match="minigrad has no accelerator"):
            fn()
