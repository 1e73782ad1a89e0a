"""Shape and size checks for the reference models in :mod:`cgdopt.nn.models`."""
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from cgdopt.nn.models import BasicBlock, ResNet18, count_parameters, mlp  # noqa: E402


@pytest.mark.parametrize("depth", [1, 2, 4, 8, 16])
def test_mlp_depth_counts_linear_layers(depth):
    net = mlp(depth, width=32)
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    assert len(linears) == depth
    assert linears[0].in_features == 3 * 32 * 32
    assert linears[-1].out_features == 10
    assert all(l.out_features == 32 for l in linears[:-1])
    assert sum(isinstance(m, nn.ReLU) for m in net.modules()) == depth - 1


def test_mlp_forward_shape_and_options():
    net = mlp(3, width=16, in_features=20, num_classes=7, activation=nn.Tanh)
    assert net(torch.randn(5, 20)).shape == (5, 7)
    assert sum(isinstance(m, nn.Tanh) for m in net.modules()) == 2
    assert mlp(2)(torch.randn(4, 3, 32, 32)).shape == (4, 10)


@pytest.mark.parametrize("bad", [0, -1, 2.0])
def test_mlp_rejects_bad_depth(bad):
    with pytest.raises(ValueError):
        mlp(bad)


def test_mlp_parameter_count():
    # 3072*512+512 + 512*512+512 + 512*10+10
    assert count_parameters(mlp(3)) == 3072 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10


def test_resnet18_parameter_count():
    n = count_parameters(ResNet18(num_classes=10))
    assert n == 11_173_962  # kuangliu/pytorch-cifar ResNet18, 10 classes
    assert count_parameters(ResNet18(num_classes=100)) == n + 90 * 513


def test_resnet18_structure():
    net = ResNet18()
    blocks = [m for m in net.modules() if isinstance(m, BasicBlock)]
    assert len(blocks) == 8
    convs = [m for m in net.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) == 1 + 16 + 3  # stem, 2 per block, 3 projection shortcuts
    assert convs[0].kernel_size == (3, 3) and convs[0].stride == (1, 1)
    assert not any(isinstance(m, nn.MaxPool2d) for m in net.modules())
    assert sum(isinstance(m, nn.BatchNorm2d) for m in net.modules()) == 1 + 16 + 3


@pytest.mark.parametrize("width", [0.125, 0.25, 1.0])
def test_resnet18_forward_shape(width):
    net = ResNet18(num_classes=10, width=width)
    out = net(torch.randn(2, 3, 32, 32))
    assert out.shape == (2, 10)
    out.sum().backward()
    assert all(p.grad is not None for p in net.parameters())


def test_resnet18_width_multiplier():
    small = ResNet18(width=0.25)
    assert small.conv1.out_channels == 16 and small.linear.in_features == 128
    assert count_parameters(small) < count_parameters(ResNet18()) / 10
    with pytest.raises(ValueError):
        ResNet18(width=0)


def test_benchmark_cpu_memory_measure_counts_live_tensors(nn_memory):
    """The CPU peak of ``benchmarks/nn_memory.py`` sees params, grads, momentum and data."""
    def make_step():
        net = mlp(2, width=64)
        x, y = torch.randn(32, 3, 32, 32), torch.randint(0, 10, (32,))
        opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)

        def step():
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        return step

    pbytes = 4 * count_parameters(mlp(2, width=64))
    data = 4 * 32 * 3 * 32 * 32 + 8 * 32
    peak = nn_memory.cpu_peak_bytes(make_step, warmup=1, steps=1)
    # parameters + gradients + momentum + data, plus activations/temporaries (small here)
    assert 3 * pbytes + data <= peak <= 3 * pbytes + data + 2 * pbytes


def test_mlp_refuses_a_bool_depth():
    with pytest.raises(ValueError, match="depth must be an int >= 1, got True"):
        mlp(True)


@pytest.mark.parametrize("kw,message", [
    (dict(width=0), "width must be an int >= 1, got 0"),
    (dict(width=-3), "width must be an int >= 1, got -3"),
    (dict(width=True), "width must be an int >= 1, got True"),
    (dict(width=8.0), "width must be an int >= 1, got 8.0"),
    (dict(in_features=0), "in_features must be an int >= 1, got 0"),
    (dict(num_classes=0), "num_classes must be an int >= 1, got 0"),
])
def test_mlp_refuses_bad_sizes(kw, message):
    with pytest.raises(ValueError, match=message):
        mlp(2, **kw)


def test_mlp_refuses_an_activation_that_is_not_a_factory():
    with pytest.raises(TypeError, match="activation must be a zero-argument factory"):
        mlp(2, width=4, activation="relu")
    with pytest.raises(TypeError, match=r"the class nn.ReLU, not an instance nn.ReLU\(\)\), got ReLU\(\)"):
        mlp(2, width=4, activation=nn.ReLU())
    with pytest.raises(TypeError, match=r"activation\(\) must return a torch.nn.Module, got int"):
        mlp(2, width=4, activation=lambda: 3)


@pytest.mark.parametrize("args,message", [((0, 4), "in_planes must be an int >= 1, got 0"),
                                          ((4, 2.0), "planes must be an int >= 1, got 2.0"),
                                          ((4, 4, 0), "stride must be an int >= 1, got 0"),
                                          ((4, 4, True), "stride must be an int >= 1, got True")])
def test_basic_block_refuses_bad_sizes(args, message):
    with pytest.raises(ValueError, match=message):
        BasicBlock(*args)


@pytest.mark.parametrize("kw,message", [
    (dict(width=0), "width must be a finite number > 0, got 0"),
    (dict(width=float("nan")), "width must be a finite number > 0, got nan"),
    (dict(width=True), "width must be a finite number > 0, got True"),
    (dict(num_classes=0), "num_classes must be an int >= 1, got 0"),
    (dict(in_channels=2.5), "in_channels must be an int >= 1, got 2.5"),
])
def test_resnet18_refuses_bad_arguments(kw, message):
    with pytest.raises(ValueError, match=message):
        ResNet18(**kw)


def test_count_parameters_refuses_a_non_module_and_a_non_bool():
    with pytest.raises(TypeError, match="model must be a torch.nn.Module, got str"):
        count_parameters("x")
    with pytest.raises(TypeError, match="trainable_only must be True or False, got 'no'"):
        count_parameters(nn.Linear(2, 2), trainable_only="no")
