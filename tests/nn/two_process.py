"""What the DDP and FSDP2 tests share: the model and data both workers train, and running a
worker script in two gloo processes.

The workers (``ddp_worker.py``, ``fsdp_worker.py``) import :func:`build` and :func:`data`
from here; run as scripts, their own directory (this one) is on ``sys.path``.
"""
import importlib.util
import os
import socket
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))


def build():
    g = torch.Generator().manual_seed(0)
    net = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 2)).double()
    with torch.no_grad():
        for p in net.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.6)
    return net


def data(n=16):
    g = torch.Generator().manual_seed(1)
    return (torch.randn(n, 4, generator=g, dtype=torch.float64),
            torch.randn(n, 2, generator=g, dtype=torch.float64))


def load_worker(filename):
    """The worker module itself (its scenarios and ``train``), for the single-process reference."""
    spec = importlib.util.spec_from_file_location("cgdopt_" + filename[:-3],
                                                  os.path.join(HERE, filename))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_worker(filename, out, timeout):
    """``python FILENAME PORT OUT`` (2 ranks); a second try with a new port if the first one was
    taken meanwhile.  Returns None on success, else the failed ``CompletedProcess``."""
    root = os.path.dirname(os.path.dirname(HERE))  # the repository, importable without install
    env = dict(os.environ, OMP_NUM_THREADS="1",
               PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    last = None
    for _ in range(2):
        last = subprocess.run([sys.executable, os.path.join(HERE, filename), str(free_port()),
                               str(out)], capture_output=True, text=True, timeout=timeout, env=env)
        if last.returncode == 0:
            return None
    return last
