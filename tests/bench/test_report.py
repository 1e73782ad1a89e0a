"""cgdopt.bench.report: Markdown tables, the report header, what the CLI prints."""
import math

import numpy as np
import pandas as pd

from cgdopt.bench.report import fmt, machine, markdown_table, terminal_text, write_outputs


def test_cells_and_tables():
    assert fmt(float("nan")) == "–" and fmt(None) == "–" and fmt(math.inf) == "inf"
    assert fmt(3.0) == "3" and fmt(0.123456) == "0.123" and fmt(np.int64(4)) == "4"
    assert fmt("a|b") == "a\\|b"
    df = pd.DataFrame({"solver": ["gd", "cgd-fd"], "x": [1.5, np.nan]})
    assert markdown_table(df).splitlines() == ["| solver | x |", "|---|---|", "| gd | 1.5 |",
                                               "| cgd-fd | – |"]
    assert markdown_table(df.set_index("solver"), index=True).splitlines()[0] == "| solver | x |"


def test_terminal_text_drops_images():
    body = "## T\n\n| a |\n![fig](figures/x.png)\n\n*caption*"
    assert "![" not in terminal_text(body) and "*caption*" in terminal_text(body)
    assert "cores" in machine()


def test_write_outputs_survives_a_report_that_fails_on_partial_results(tmp_path):
    class FakeStore:
        meta = {"versions": {"cgdopt": "x"}, "config": {}, "config_hash": "h", "created": "now"}

        def done(self):
            return {"a"}

        def export_csv(self):
            (tmp_path / "runs.csv").write_text("key\na\n")

    class Study:
        NAME, HELP = "demo", "a demo study"

        @staticmethod
        def report(store, opts, out_dir):
            raise KeyError("column missing")

    body = write_outputs(FakeStore(), Study, {}, tmp_path, total=3, interrupted=True,
                         command="python -m cgdopt.bench demo")
    text = (tmp_path / "report.md").read_text()
    assert "could not be made from the partial results" in body
    assert "**Interrupted**: 1 of 3 runs finished" in text and "python -m cgdopt.bench demo" in text
