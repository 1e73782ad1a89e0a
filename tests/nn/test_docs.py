"""The runnable examples of docs/nn.md run (blocks preceded by ``<!-- test: run -->``)."""
import os
import re

import pytest

torch = pytest.importorskip("torch")

DOC = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "nn.md")
BLOCK = re.compile(r"<!-- test: run -->\s*```python\n(.*?)```", re.S)


def blocks():
    with open(DOC, encoding="utf-8") as f:
        return BLOCK.findall(f.read())


def test_the_guide_has_the_required_examples():
    text = "\n".join(blocks())
    assert "base=torch.optim.SGD" in text and "base=torch.optim.AdamW" in text
    assert len(blocks()) >= 8


@pytest.mark.parametrize("index", range(len(blocks())))
def test_example_runs(index, capsys):
    code = blocks()[index]
    exec(compile(code, f"docs/nn.md[example {index}]", "exec"), {"__name__": "__docs__"})
