"""Benchmarks and paper reproductions: ``python -m cgdopt.bench``.

:mod:`cgdopt.bench.paper` runs the CGD paper's study (Tables 1-2, Figure 3):
gd against cgd-fd on the six Appendix B functions with a budget of T = 40
gradient evaluations and regularization for the first b = T/4 iterations.
"""
from .paper import TABLE1, PAPER_TABLE2, run_study

__all__ = ["TABLE1", "PAPER_TABLE2", "run_study"]
