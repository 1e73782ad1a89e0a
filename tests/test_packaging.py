"""Packaging: license, one version, py.typed, the optional torch dependency, the type check."""
from __future__ import annotations

import configparser
import os
import re
import subprocess
import sys

import pytest

import cgdopt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _setup_cfg() -> configparser.ConfigParser:
    cfg = configparser.ConfigParser()
    cfg.read(os.path.join(ROOT, "setup.cfg"), encoding="utf-8")
    return cfg


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_license_is_bsd3_of_the_developers():
    with open(os.path.join(ROOT, "LICENSE"), encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("BSD 3-Clause License")
    assert "Copyright (c) 2026, the cgdopt developers" in text
    cfg = _setup_cfg()
    assert cfg["metadata"]["license"] == "BSD-3-Clause"
    assert cfg["metadata"]["license_files"].strip() == "LICENSE"


def test_version_has_one_source():
    assert re.fullmatch(r"\d+\.\d+\.\d+([ab]\d+|rc\d+|\.dev\d+)?", cgdopt.__version__)
    cfg = _setup_cfg()
    assert cfg["metadata"]["version"].strip() == "attr: cgdopt.__version__"
    with open(os.path.join(ROOT, "cgdopt", "__init__.py"), encoding="utf-8") as f:
        assert len(re.findall(r"^__version__\s*=", f.read(), re.M)) == 1


def test_changelog_has_the_current_version():
    with open(os.path.join(ROOT, "CHANGELOG.md"), encoding="utf-8") as f:
        text = f.read()
    heading = re.findall(r"^## (\d+\.\d+\.\d+)", text, re.M)
    release = re.match(r"\d+\.\d+\.\d+", cgdopt.__version__).group(0)
    assert release in heading
    if ".dev" in cgdopt.__version__:
        assert re.search(rf"^## {re.escape(release)} \(unreleased\)", text, re.M)


def test_bench_prints_the_version():
    proc = subprocess.run([sys.executable, "-m", "cgdopt.bench", "--version"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert cgdopt.__version__ in proc.stdout


def test_py_typed_is_shipped():
    assert os.path.isfile(os.path.join(ROOT, "cgdopt", "py.typed"))
    assert "py.typed" in _setup_cfg()["options.package_data"]["cgdopt"]


def test_extras_are_declared():
    extras = _setup_cfg()["options.extras_require"]
    for name in ("nn", "dask", "experiments", "test", "docs"):
        assert name in extras, name
    assert "torch" in extras["nn"]
    assert "sphinx-mathjax-offline" in extras["docs"]


def test_nn_without_torch_names_the_extra():
    proc = _python("import sys; sys.modules['torch'] = None\nimport cgdopt.nn")
    assert proc.returncode != 0
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError:") and "pip install cgdopt[nn]" in last, proc.stderr


def test_core_works_without_torch():
    proc = _python(
        "import sys; sys.modules['torch'] = None\n"
        "import numpy as np, cgdopt\n"
        "from cgdopt import testfunctions as tf\n"
        "f = tf.get('matyas')\n"
        "res = cgdopt.minimize(f, f.x0, method='cgd-fd', jac=f.grad, options=dict(budget=10))\n"
        "print(res.njev)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "10"


@pytest.mark.slow
def test_mypy_strict_on_the_public_api():
    """``python -m mypy`` with the [mypy] section of setup.cfg (strict) passes."""
    pytest.importorskip("mypy")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
