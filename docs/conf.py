"""Sphinx configuration.

Build (what ``.ci/run`` does, warnings are errors)::

    python -m sphinx -W --keep-going -b html docs docs/_build/html

Needs the ``docs`` extra: ``pip install -e ".[docs,nn]"``.
"""
import importlib
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "api"))

import cgdopt  # noqa: E402
from apigen import available_modules, documented_names, write_pages  # noqa: E402
from examples import example_for, has_docstring_example  # noqa: E402

project = "cgdopt"
author = "the cgdopt developers"
copyright = "2026, the cgdopt developers"
version = release = cgdopt.__version__

extensions = ["sphinx.ext.autodoc", "sphinx.ext.autosummary", "sphinx.ext.mathjax",
              "numpydoc", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "api/modules/generated/*.md", "examples/*.py", "**/README.md"]
templates_path = ["_templates"]

# --- MyST (the Markdown pages) ----------------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# --- API reference: one page per public name (docs/api/apigen.py) -----------------------------
write_pages(os.path.join(HERE, "api", "modules"))
autosummary_generate = True
autosummary_context = {"examples": {}}
for _mod, _title, _blurb in available_modules():
    try:
        _module = importlib.import_module(_mod)
        _names = documented_names(_mod)
    except ImportError:
        continue
    for _name in _names:
        _obj = getattr(_module, _name)
        _code = None if has_docstring_example(_obj) else example_for(f"{_mod}.{_name}", _obj)
        if _code:
            autosummary_context["examples"][f"{_mod}.{_name}"] = _code.rstrip("\n")
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
autodoc_member_order = "bysource"

# --- Math rendered offline: MathJax 3 shipped by the sphinx-mathjax-offline package ------------
# The package's static folder holds mathjax/tex-chtml.js and its fonts; it is copied into
# _static, and the page loads it from there (no CDN).  tests/test_packaging.py checks the built
# HTML for http(s) scripts.
_spec = importlib.util.find_spec("sphinx-mathjax-offline")
if _spec is None or not _spec.submodule_search_locations:
    raise RuntimeError("the docs need the sphinx-mathjax-offline package for offline math: "
                       "pip install -e '.[docs]'")
_MATHJAX_STATIC = os.path.join(list(_spec.submodule_search_locations)[0], "static")
html_static_path = ["_static", _MATHJAX_STATIC]
mathjax_path = "mathjax/tex-chtml.js"

# --- HTML ---------------------------------------------------------------------------------------
html_theme = "alabaster"
html_title = f"cgdopt {release}"
html_theme_options = {
    "description": f"Gradient-regularized optimization &mdash; version {release}",
    "fixed_sidebar": True,
    "font_family": "sans-serif",
    "head_font_family": "sans-serif",
}
html_show_sourcelink = False
html_css_files = ["cgdopt.css"]
