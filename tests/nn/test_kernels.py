"""The element-wise update kernels (cgdopt.nn._kernels) and ``compile=``.

``compile=`` wraps GR's probe offset / combination and SAM's first step / removal of the
perturbation in ``torch.compile``.  The default tests use the ``aot_eager`` backend (or a
backend that records the graphs it is given): TorchDynamo captures the kernels, no C++
toolchain is needed, a few seconds.  TorchInductor (C++ code generation, minutes on a
2-core machine) runs when ``CGDOPT_TEST_INDUCTOR=1``.
"""
import os
import shutil

import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import GR, SAM  # noqa: E402
from cgdopt.nn._kernels import Kernels, check_compile  # noqa: E402

AOT = {"backend": "aot_eager"}

MAKERS = {
    "F-GR": lambda ps, c: GR(ps, lr=0.1, momentum=0.9, eps=0.1, gamma=0.2, compile=c),
    "B-GR-lean": lambda ps, c: GR(ps, lr=0.1, rule="backward", eps=0.1, gamma=0.2,
                                  restore="subtract", compile=c),
    "central-lean-switch": lambda ps, c: GR(ps, lr=0.1, rule="central", eps=0.1, gamma=0.2,
                                            restore="subtract", safeguard="switch", compile=c),
    "normalize": lambda ps, c: GR(ps, lr=0.1, lam=0.05, r=0.1, penalty="norm", normalize=True,
                                  compile=c),
    "SAM": lambda ps, c: SAM(ps, lr=0.1, momentum=0.9, rho=0.1, compile=c),
    "ASAM-lean": lambda ps, c: SAM(ps, lr=0.1, rho=0.1, adaptive=True, restore="subtract",
                                   compile=c),
}


def _train(nnh, make, compile, steps=3):
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = make(net.parameters(), compile)
    for _ in range(steps):
        opt.step(nnh.make_closure(opt, net, x, y))
    return nnh.params_of(net), opt


def _recording_backend(graphs):
    def backend(gm, example_inputs):
        graphs.append(gm)
        return gm.forward
    return backend


def _targets(graphs):
    return {str(n.target) for gm in graphs for n in gm.graph.nodes if n.op in ("call_function", "call_method")}


@pytest.mark.parametrize("name", list(MAKERS))
def test_compiled_kernels_give_the_eager_step(nnh, name):
    torch._dynamo.reset()
    eager, _ = _train(nnh, MAKERS[name], False)
    compiled, opt = _train(nnh, MAKERS[name], AOT)
    nnh.assert_lists_close(compiled, eager, rtol=1e-13, atol=1e-14)
    assert opt._kernels.compiled


@pytest.mark.parametrize("name, ops", [
    ("F-GR", {"lerp_"}), ("central-lean-switch", {"add_", "mul_"}),
    ("SAM", {"add_", "mul", "sqrt"}), ("ASAM-lean", {"abs", "add_"})])
def test_the_update_kernels_are_captured_whole(nnh, name, ops):
    """The backend receives the kernels (fullgraph=True: one graph each, no break)."""
    torch._dynamo.reset()
    graphs = []
    _train(nnh, MAKERS[name], {"backend": _recording_backend(graphs)}, steps=2)
    assert graphs, "no graph reached the backend: nothing was compiled"
    seen = " ".join(sorted(_targets(graphs)))
    for op in ops:
        assert op in seen, f"{op} not in the compiled graphs: {seen}"


def test_a_schedule_for_eps_and_gamma_does_not_recompile(nnh):
    """Numbers that change between steps enter the kernels as 0-dim tensors."""
    torch._dynamo.reset()
    graphs = []
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1, eps=0.1, gamma=0.2, restore="subtract",
             compile={"backend": _recording_backend(graphs)})
    opt.step(nnh.make_closure(opt, net, x, y))
    first = len(graphs)
    for k in range(4):
        opt.param_groups[0]["gr_eps"] = 0.1 / (k + 2)
        opt.param_groups[0]["gr_gamma"] = 0.2 * (k + 2)
        opt.step(nnh.make_closure(opt, net, x, y))
    assert first > 0 and len(graphs) == first


def test_two_step_api_compiles_too(nnh):
    x, y = nnh.make_data()
    out = []
    for compile in (False, AOT):
        torch._dynamo.reset()
        net = nnh.make_mlp()
        opt = SAM(net.parameters(), lr=0.1, rho=0.1, restore="subtract", compile=compile)
        for _ in range(2):
            nnh.mse(net, x, y).backward()
            opt.first_step(zero_grad=True)
            nnh.mse(net, x, y).backward()
            opt.second_step(zero_grad=True)
        out.append(nnh.params_of(net))
    nnh.assert_lists_close(out[1], out[0], rtol=1e-13, atol=1e-14)


def test_compile_is_validated(nnh):
    ps = list(nnh.make_mlp().parameters())
    with pytest.raises(TypeError, match="Invalid compile: 'yes'"):
        GR(ps, lr=0.1, compile="yes")
    with pytest.raises(ValueError, match=r"unknown torch.compile keyword\(s\) \['fast'\]"):
        SAM(ps, lr=0.1, compile={"fast": True})
    assert check_compile(False) is None and check_compile(True) == {"fullgraph": True}
    assert check_compile({"fullgraph": False}) == {"fullgraph": False}
    assert not Kernels().compiled


def test_a_compiled_optimizer_pickles_and_rebuilds_its_kernels(nnh):
    import copy
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1, compile=AOT)
    opt.step(nnh.make_closure(opt, net, x, y))
    clone = copy.deepcopy(opt)
    assert clone.compile == opt.compile and clone._kernels_cache is None


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CGDOPT_TEST_INDUCTOR") != "1",
                    reason="inductor compiles C++ for minutes on the CPU; set CGDOPT_TEST_INDUCTOR=1")
@pytest.mark.skipif(shutil.which(os.environ.get("CXX", "g++")) is None
                    and shutil.which("c++") is None, reason="no C++ compiler for TorchInductor")
@pytest.mark.parametrize("name", ["F-GR", "ASAM-lean"])
def test_inductor_kernels_give_the_eager_step(nnh, name):
    torch._dynamo.reset()
    eager, _ = _train(nnh, MAKERS[name], False)
    compiled, _ = _train(nnh, MAKERS[name], True)
    nnh.assert_lists_close(compiled, eager, rtol=1e-10, atol=1e-12)
