"""Extra memory of a GR/SAM step, in parameter-sized buffers beyond plain SGD (deterministic).

Uses the CPU allocator's alloc/free events (``benchmarks/nn_memory.py``): peak live tensor
bytes, the CPU counterpart of ``torch.cuda.max_memory_allocated``.  Issue 4's target:
F-GR's peak is at most SGD's plus two parameter-sized buffers.
"""
import pytest
import torch

from cgdopt.nn import GR, SAM
from cgdopt.nn.models import count_parameters, mlp


def _make(kind, foreach, restore="copy"):
    def make_step():
        torch.manual_seed(0)
        model = mlp(4, width=256, in_features=64)
        x, y = torch.randn(8, 64), torch.randint(0, 10, (8,))
        if kind == "sgd":
            opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
        elif kind == "sam":
            opt = SAM(model.parameters(), lr=0.01, momentum=0.9, foreach=foreach, restore=restore)
        else:
            opt = GR(model.parameters(), lr=0.01, momentum=0.9, rule=kind, foreach=foreach,
                     restore=restore)

        def closure():
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            return loss

        def step():
            if kind == "sgd":
                closure()
                opt.step()
            else:
                opt.step(closure)

        return step

    return make_step


@pytest.mark.parametrize("foreach", [False, True])
@pytest.mark.parametrize("kind, limit", [("forward", 2), ("backward", 2), ("central", 3), ("sam", 2)])
def test_extra_peak_memory_in_parameter_buffers(nn_memory, kind, limit, foreach):
    param_bytes = count_parameters(mlp(4, width=256, in_features=64)) * 4
    base = nn_memory.cpu_peak_bytes(_make("sgd", foreach), warmup=1, steps=1)
    peak = nn_memory.cpu_peak_bytes(_make(kind, foreach), warmup=1, steps=1)
    extra = (peak - base) / param_bytes
    assert extra <= limit + 0.05, f"{kind}: {extra:.3f} parameter buffers"
    assert extra >= 0.9  # the measurement sees at least the parameter copy


@pytest.mark.parametrize("kind, limit, foreach", [
    ("forward", 1, False), ("forward", 1, True), ("backward", 1, False), ("central", 2, False),
    ("central", 2, True), ("sam", 1, False), ("sam", 1, True)])
def test_restore_subtract_keeps_one_buffer_less(nn_memory, kind, limit, foreach):
    """Issue 11: restore="subtract" brings F-GR/B-GR to +1, central to +2, SAM to +1."""
    param_bytes = count_parameters(mlp(4, width=256, in_features=64)) * 4
    base = nn_memory.cpu_peak_bytes(_make("sgd", foreach), warmup=1, steps=1)
    peak = nn_memory.cpu_peak_bytes(_make(kind, foreach, "subtract"), warmup=1, steps=1)
    extra = (peak - base) / param_bytes
    assert limit - 0.1 <= extra <= limit + 0.05, f"{kind}: {extra:.3f} parameter buffers"
