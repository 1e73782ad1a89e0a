"""Tests for cgdopt.bench (the CGD paper's study) and the README example."""
import re
from pathlib import Path

import numpy as np
import pytest

from cgdopt.bench import paper
from cgdopt.bench.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def test_improvement_is_the_papers_definition():
    assert paper.improvement({"f": np.array([4.0, 1.0, 0.5])}) == pytest.approx(75.0)


def test_table1_settings_match_the_paper():
    by_name = {s.name: s for s in paper.TABLE1}
    assert set(by_name) == set(paper.PAPER_TABLE2)
    assert by_name["quadratic"].n == 10 and by_name["quadratic"].lam == 0.4
    assert by_name["griewank"].lam == 40.0 and by_name["levy"].step == 0.05


def test_study_respects_the_budget_and_algorithm_2():
    rows = paper.run_study(paper.TABLE1[:2])
    for row in rows:
        for method, res in row["runs"].items():
            assert res.njev <= paper.BUDGET and res.status == 2
        kinds = list(row["runs"]["cgd-fd"].history["kind"][1:])
        # iterations 0..b regularized (unless a safeguard switched earlier), then plain steps
        assert kinds[paper.SWITCH_AFTER + 1:] == ["gd"] * (len(kinds) - paper.SWITCH_AFTER - 1)


def test_cli_prints_table_and_writes_figure(tmp_path, capsys):
    png = tmp_path / "fig3.png"
    main(["--plot", str(png)])
    out = capsys.readouterr().out
    assert "| quadratic | 10 |" in out and "| matyas | 2 |" in out
    assert png.stat().st_size > 10_000


def test_readme_ten_line_example_runs():
    text = (ROOT / "README.md").read_text()
    code = re.search(r"## Ten lines\n\n```python\n(.*?)```", text, re.S).group(1)
    assert len(code.strip().splitlines()) <= 10
    exec(compile(code, "README.md", "exec"), {})
