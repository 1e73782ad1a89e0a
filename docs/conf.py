"""Sphinx configuration: ``python -m sphinx -b html docs docs/_build/html``."""
project = "cgdopt"
author = "the cgdopt developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.autosummary", "sphinx.ext.mathjax",
              "numpydoc", "myst_parser"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build"]
numpydoc_show_class_members = False
autodoc_mock_imports = []
html_theme = "alabaster"
