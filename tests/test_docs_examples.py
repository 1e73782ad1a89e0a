"""Every documented example runs as written.

* Every ```python block of README.md and docs/**/*.md runs alone in a fresh
  interpreter (``sys.executable``, a temporary working directory, a timeout).
* Output shown in the docs is checked: a ```text block that follows a python
  block and is introduced by the line ``<!-- output -->`` must match what the
  python block printed (doctest's ELLIPSIS and NORMALIZE_WHITESPACE rules, so
  ``...`` stands for any text).
* A block whose first line is ``# requires: cuda`` is skipped, visibly, when
  torch has no CUDA device; ``# requires: torchrun`` runs under
  ``python -m torch.distributed.run --standalone --nproc_per_node=2`` on the
  CPU (the block chooses the gloo backend when CUDA is absent).
* The examples of the API reference (``docs/api/examples.py``) run too, each in
  a fresh namespace, one interpreter per module; so do the gallery scripts
  (``docs/examples/*.py``), writing their figure to a temporary file.

The selected blocks run two at a time in the background (a session fixture
starts them all at once), so the file takes about as long as its slowest half.
"""
from __future__ import annotations

import doctest
import glob
import importlib
import json
import os
import re
import subprocess
import sys
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")
TIMEOUT_S = 300
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
OUTPUT_MARK = "<!-- output -->"


@dataclass(frozen=True)
class Block:
    path: str       # relative to the repository root
    line: int       # line of the opening fence
    code: str
    expected: str | None   # printed output shown in the docs, if any

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def requires(self) -> str | None:
        first = self.code.lstrip().split("\n", 1)[0].strip()
        m = re.fullmatch(r"#\s*requires:\s*(\w+)", first)
        return m.group(1) if m else None


def markdown_files() -> list[str]:
    files = [os.path.join(ROOT, "README.md")]
    for path in sorted(glob.glob(os.path.join(DOCS, "**", "*.md"), recursive=True)):
        rel = os.path.relpath(path, DOCS)
        if rel.startswith(("_build", os.path.join("api", "modules"))):
            continue
        files.append(path)
    return files


def parse_blocks(path: str) -> list[Block]:
    """The python blocks of one Markdown file, each with the output block it announces."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    fences = list(FENCE.finditer(text))
    out = []
    for i, m in enumerate(fences):
        if m.group(1) != "python":
            continue
        expected = None
        if i + 1 < len(fences):
            nxt = fences[i + 1]
            between = text[m.end():nxt.start()]
            if nxt.group(1) == "text" and between.strip() == OUTPUT_MARK:
                expected = nxt.group(2)
        out.append(Block(os.path.relpath(path, ROOT), text.count("\n", 0, m.start()) + 1,
                         m.group(2), expected))
    return out


def all_blocks() -> list[Block]:
    return [b for path in markdown_files() for b in parse_blocks(path)]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    env["PYTHONWARNINGS"] = "default"   # a warning printed by an example shows in its output
    return env


def _run(argv: list[str], cwd: str, timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=timeout)


#: a torchrun block runs two worker processes and an agent: under a heavy load on the 2-core
#: CI machine it gets three times the time of a plain block
TORCHRUN_TIMEOUT_S = 3 * TIMEOUT_S
#: torchrun's report of a worker killed by a signal ("exitcode : -6", SIGABRT) as root cause
_WORKER_KILLED = re.compile(r"Root Cause.*?exitcode\s*:\s*-\d+", re.S)


def _crashed_outside_the_example(proc: subprocess.CompletedProcess, script: str) -> bool:
    """A rank died by a signal with no Python traceback through the example.

    The known cause (torch 2.13, gloo): DTensors still alive when the interpreter shuts down
    after ``destroy_process_group()`` abort the process ("terminate called without an active
    exception"); the FSDP2 block of docs/nn.md failed 2 of 6 runs that way, and 1 of 10 with
    plain ``torch.optim.SGD``.  The block now frees its model and optimizer before destroying
    the group (0 failures in 24 runs); this one rerun stays as a guard for the other blocks."""
    return (proc.returncode != 0 and bool(_WORKER_KILLED.search(proc.stderr))
            and f'File "{script}"' not in proc.stderr)


def run_block(block: Block) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "example.py")
        with open(script, "w", encoding="utf-8") as f:
            f.write(block.code)
        if block.requires == "torchrun":
            # --standalone: the rendezvous binds a free port itself (no fixed port to clash)
            argv = [sys.executable, "-m", "torch.distributed.run", "--standalone",
                    "--nproc_per_node=2", script]
            proc = _run(argv, tmp, TORCHRUN_TIMEOUT_S)
            if _crashed_outside_the_example(proc, script):
                # one more run; it must pass on its own (output and warnings checked as
                # usual), and a second failure reports both runs' stderr
                first = proc.stderr
                proc = _run(argv, tmp, TORCHRUN_TIMEOUT_S)
                if proc.returncode != 0:
                    proc.stderr = f"{first}\n--- second run ---\n{proc.stderr}"
            return proc
        argv = [sys.executable, script]
        return _run(argv, tmp)


API_HARNESS = r"""
import json, sys, traceback, io, contextlib, warnings
examples = json.load(open(sys.argv[1]))
failures = {}
for name, code in examples.items():
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf), warnings.catch_warnings():
            warnings.simplefilter("error")
            exec(compile(code, name, "exec"), {"__name__": "__main__"})
    except BaseException:
        failures[name] = traceback.format_exc()
print(json.dumps(failures))
"""


def api_examples() -> dict[str, dict[str, str]]:
    """{module: {fullname: code}} for every public name without a docstring example."""
    sys.path.insert(0, os.path.join(DOCS, "api"))
    try:
        apigen = importlib.import_module("apigen")
        examples = importlib.import_module("examples")
    finally:
        sys.path.pop(0)
    out: dict[str, dict[str, str]] = {}
    for modname, _, _ in apigen.available_modules():
        try:
            module = importlib.import_module(modname)
            names = apigen.documented_names(modname)
        except ImportError:
            continue
        for name in names:
            obj = getattr(module, name)
            code = examples.example_for(f"{modname}.{name}", obj)
            if code and not examples.has_docstring_example(obj):
                out.setdefault(modname, {})[f"{modname}.{name}"] = code
    return out


def run_api_module(examples: dict[str, str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "examples.json")
        with open(data, "w", encoding="utf-8") as f:
            json.dump(examples, f)
        harness = os.path.join(tmp, "harness.py")
        with open(harness, "w", encoding="utf-8") as f:
            f.write(API_HARNESS)
        proc = _run([sys.executable, harness, data], tmp)
    if proc.returncode != 0:
        return {name: proc.stderr[-3000:] for name in examples}
    return json.loads(proc.stdout.strip().splitlines()[-1])


BLOCKS = all_blocks()
try:
    API = api_examples()
except Exception as exc:  # reported by test_api_examples_collect, not at collection
    API, API_ERROR = {}, exc
else:
    API_ERROR = None
def _has_cuda() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


@pytest.fixture(scope="session")
def started(request) -> dict[str, Future]:
    """Start, two at a time, every block and API module that this session selected."""
    pool = ThreadPoolExecutor(max_workers=2)
    futures: dict[str, Future] = {}
    cuda = None
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        block, modname = params.get("block"), params.get("modname")
        if isinstance(block, Block) and block.id not in futures:
            if block.requires == "cuda":
                cuda = _has_cuda() if cuda is None else cuda
                if not cuda:
                    continue
            futures[block.id] = pool.submit(run_block, block)
        elif getattr(item, "originalname", "") == "test_api_examples_run" and modname in API:
            futures.setdefault("api:" + modname, pool.submit(run_api_module, API[modname]))
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


def test_blocks_were_found():
    paths = {b.path for b in BLOCKS}
    assert "README.md" in paths and os.path.join("docs", "getting-started.md") in paths
    assert len(BLOCKS) >= 20


@pytest.mark.slow
@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_block_runs(block: Block, started):
    if block.requires not in (None, "cuda", "torchrun"):
        pytest.fail(f"{block.id}: unknown '# requires: {block.requires}' "
                    "(use cuda or torchrun)")
    if block.requires == "cuda" and not _has_cuda():
        pytest.skip(f"{block.id} needs CUDA and this machine has none")
    proc = started[block.id].result()
    assert proc.returncode == 0, (
        f"{block.id} failed (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    if block.expected is not None:
        checker = doctest.OutputChecker()
        flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
        assert checker.check_output(block.expected, proc.stdout, flags), (
            f"{block.id}: printed output differs from the docs.\n--- docs:\n{block.expected}"
            f"--- printed:\n{proc.stdout}")
    noisy = [line for line in proc.stderr.splitlines() if "Warning" in line]
    assert not noisy, f"{block.id} printed warnings:\n" + "\n".join(noisy)


def test_api_examples_collect():
    assert API_ERROR is None, f"collecting docs/api/examples.py failed: {API_ERROR!r}"
    assert "cgdopt" in API


@pytest.mark.slow
@pytest.mark.parametrize("modname", sorted(API))
def test_api_examples_run(modname: str, started):
    failures = started["api:" + modname].result()
    assert not failures, "\n\n".join(f"{name}:\n{tb}" for name, tb in failures.items())


GALLERY = sorted(glob.glob(os.path.join(DOCS, "examples", "*.py")))


@pytest.mark.slow
@pytest.mark.parametrize("script", GALLERY, ids=[os.path.basename(p) for p in GALLERY])
def test_gallery_script_runs(script, tmp_path):
    """The gallery scripts run and write their figure (to a temporary path here)."""
    out = tmp_path / "figure.png"
    proc = _run([sys.executable, script, str(out)], str(tmp_path))
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert out.stat().st_size > 10_000


def test_output_convention_is_parsed(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("intro\n\n```python\nprint(1 + 1)\n```\n\n<!-- output -->\n```text\n2\n```\n"
                    "\n```python\n# requires: torchrun\nx = 1\n```\n", encoding="utf-8")
    first, second = parse_blocks(str(page))
    assert first.expected == "2\n" and first.requires is None
    assert second.expected is None and second.requires == "torchrun"
