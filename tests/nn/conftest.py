"""Fixtures for the cgdopt.nn tests: small float64 models and by-hand gradients."""
import importlib
import os
import subprocess
import sys
import types

import pytest

torch = pytest.importorskip("torch")

sys.path.insert(0, os.path.dirname(__file__))  # two_process.py, shared by the DDP/FSDP2 tests


def make_mlp(seed=0, dtype=torch.float64, d_in=3, width=5, d_out=2, bn=False):
    g = torch.Generator().manual_seed(seed)
    layers = [torch.nn.Linear(d_in, width)]
    if bn:
        layers.append(torch.nn.BatchNorm1d(width))
    layers += [torch.nn.Tanh(), torch.nn.Linear(width, d_out)]
    net = torch.nn.Sequential(*layers).to(dtype)
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=dtype) * 0.7)
    return net


def make_data(seed=1, n=8, d_in=3, d_out=2, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(n, d_in, generator=g, dtype=dtype),
            torch.randn(n, d_out, generator=g, dtype=dtype))


def mse(net, x, y):
    return ((net(x) - y) ** 2).mean()


def make_closure(opt, net, x, y, loss_fn=mse, create_graph=False):
    def closure():
        opt.zero_grad()
        loss = loss_fn(net, x, y)
        loss.backward(create_graph=create_graph)
        return loss
    return closure


def grad_at(net, x, y, values, loss_fn=mse):
    """Gradient of the loss at parameter values ``values`` (net is restored afterwards)."""
    params = list(net.parameters())
    saved = [p.detach().clone() for p in params]
    with torch.no_grad():
        for p, v in zip(params, values):
            p.copy_(v)
    grads = torch.autograd.grad(loss_fn(net, x, y), params)
    with torch.no_grad():
        for p, s in zip(params, saved):
            p.copy_(s)
    return [g.detach() for g in grads]


def hvp_at(net, x, y, v, loss_fn=mse):
    """Hessian-vector product H(theta) v at the current parameters."""
    params = list(net.parameters())
    grads = torch.autograd.grad(loss_fn(net, x, y), params, create_graph=True)
    return [h.detach() for h in torch.autograd.grad(grads, params, grad_outputs=v)]


def params_of(net):
    return [p.detach().clone() for p in net.parameters()]


def assert_lists_close(a, b, **kw):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        torch.testing.assert_close(x, y, **kw)


@pytest.fixture
def nnh():
    """Helpers as a namespace (tests import nothing from conftest directly)."""
    return types.SimpleNamespace(make_mlp=make_mlp, make_data=make_data, mse=mse,
                                 make_closure=make_closure, grad_at=grad_at, hvp_at=hvp_at,
                                 params_of=params_of, assert_lists_close=assert_lists_close)


@pytest.fixture(scope="session")
def nn_memory():
    """``benchmarks/nn_memory.py`` (peak live tensor bytes), loaded as a module."""
    import importlib.util
    import pathlib

    path = pathlib.Path(__file__).resolve().parents[2] / "benchmarks" / "nn_memory.py"
    spec = importlib.util.spec_from_file_location("nn_memory", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCHMARKS = os.path.join(ROOT, "benchmarks")


@pytest.fixture(scope="session")
def benchmark_script():
    """``load(name)``: import a script of ``benchmarks/`` (not a package) as a module."""
    def load(name):
        sys.path.insert(0, BENCHMARKS)
        try:
            return importlib.import_module(name)
        finally:
            sys.path.remove(BENCHMARKS)
    return load


@pytest.fixture(scope="session")
def run_benchmark():
    """``run(name, *args, timeout=180)``: run ``benchmarks/<name>.py`` in a subprocess (one
    thread, this checkout on the path); returns the ``CompletedProcess``."""
    env = dict(os.environ, OMP_NUM_THREADS="1",
               PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get("PYTHONPATH")])))

    def run(name, *args, timeout=180):
        return subprocess.run([sys.executable, os.path.join(BENCHMARKS, f"{name}.py"), *args],
                              capture_output=True, text=True, timeout=timeout, env=env)
    return run
