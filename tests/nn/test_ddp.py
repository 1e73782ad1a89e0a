"""DistributedDataParallel: two gloo processes on half-batches = one process on the full batch."""
import importlib.util
import os
import socket
import subprocess
import sys

import pytest

torch = pytest.importorskip("torch")
dist = pytest.importorskip("torch.distributed")

HERE = os.path.dirname(os.path.abspath(__file__))
pytestmark = pytest.mark.skipif(not dist.is_available() or not dist.is_gloo_available(),
                                reason="torch.distributed with gloo is not available")


def load_worker():
    spec = importlib.util.spec_from_file_location("cgdopt_ddp_worker", os.path.join(HERE, "ddp_worker.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def ddp_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("ddp")
    root = os.path.dirname(os.path.dirname(HERE))  # the repository, importable without install
    env = dict(os.environ, OMP_NUM_THREADS="1",
               PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    last = None
    for _ in range(2):  # a second try with a new port if the first one was taken meanwhile
        proc = subprocess.run([sys.executable, os.path.join(HERE, "ddp_worker.py"), str(free_port()), str(out)],
                              capture_output=True, text=True, timeout=120, env=env)
        if proc.returncode == 0:
            break
        last = proc
    else:
        pytest.fail(f"DDP worker failed:\n{last.stdout}\n{last.stderr}")
    return out


@pytest.mark.parametrize("scenario", ["gr_forward", "gr_central_accum", "sam_accum"])
def test_two_processes_equal_one_process(ddp_results, scenario):
    worker = load_worker()
    cfg = worker.SCENARIOS[scenario]
    ranks = [torch.load(ddp_results / f"{scenario}-rank{r}.pt") for r in (0, 1)]
    for a, b in zip(ranks[0]["params"], ranks[1]["params"]):
        assert torch.equal(a, b)  # replicas stay identical
    x, y = worker.data()
    ref = worker.build()
    opt = worker.train(ref, x, y, dict(cfg, micro=1))
    for a, b in zip(ranks[0]["params"], ref.parameters()):
        torch.testing.assert_close(a, b.detach(), rtol=1e-12, atol=1e-13)
    # the step actually moved the parameters
    assert any(not torch.allclose(a, b) for a, b in zip(ranks[0]["params"], worker.build().parameters()))
    assert ranks[0]["grad_evals"] == opt.grad_evals
