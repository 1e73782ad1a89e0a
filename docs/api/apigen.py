"""Write the API reference: one autosummary page per public name of each public module.

The pages are generated at build time (``docs/conf.py`` calls :func:`write_pages`)
from the modules' ``__all__``, so the reference cannot drift from the code.
``tests/test_api_pages.py`` checks that every public name is listed here and has
an example: an ``Examples`` section in its docstring, or an entry in
:data:`examples.EXAMPLES`.
"""
from __future__ import annotations

import importlib
import importlib.util
import inspect
import os
import types

# (module, title, one-line description); a module that is not importable
# (``cgdopt.nn`` without torch) or not written yet is left out of the build.
API_MODULES = [
    ("cgdopt", "cgdopt", "The front door: minimize, the scipy custom minimizers, status codes."),
    ("cgdopt.directions", "cgdopt.directions",
     "Direction rules shared by numpy and torch (L^p penalties, finite differences, safeguard)."),
    ("cgdopt.schedules", "cgdopt.schedules", "Schedules for the regularization coefficient lambda."),
    ("cgdopt.linesearch", "cgdopt.linesearch", "Step-size rules: fixed, Armijo, strong Wolfe."),
    ("cgdopt.testfunctions", "cgdopt.testfunctions",
     "Synthetic test functions with metadata, batched values and derivatives."),
    ("cgdopt.testfunctions.catalog", "cgdopt.testfunctions.catalog",
     "The Markdown catalog of the test functions."),
    ("cgdopt.nn", "cgdopt.nn", "PyTorch optimizers: GR (F-GR, B-GR, central, DB), SAM, flooding."),
    ("cgdopt.nn.models", "cgdopt.nn.models", "Small models used by the benchmarks and experiments."),
    ("cgdopt.bench", "cgdopt.bench", "Benchmarks: python -m cgdopt.bench."),
    ("cgdopt.experiments", "cgdopt.experiments",
     "The papers' deep-learning experiments: python -m cgdopt.experiments."),
]


def available_modules() -> list[tuple[str, str, str]]:
    """The entries of :data:`API_MODULES` whose package exists in this checkout."""
    out = []
    for entry in API_MODULES:
        try:
            found = importlib.util.find_spec(entry[0]) is not None
        except ImportError:
            found = False
        if found:
            out.append(entry)
    return out


def public_names(module: types.ModuleType) -> list[str]:
    """``__all__`` when the module has one; otherwise the functions and classes it
    defines and its UPPER_CASE constants, in definition order."""
    names = getattr(module, "__all__", None)
    if names is not None:
        return list(names)
    out = []
    for name, obj in vars(module).items():
        if name.startswith("_") or isinstance(obj, types.ModuleType):
            continue
        if inspect.isfunction(obj) or inspect.isclass(obj):
            if obj.__module__ == module.__name__:
                out.append(name)
        elif name.isupper() and name != "TYPE_CHECKING":
            out.append(name)
    return out


def documented_names(modname: str) -> list[str]:
    """Public names of ``modname`` that get a page (submodules get their own section)."""
    module = importlib.import_module(modname)
    return [n for n in public_names(module)
            if not isinstance(getattr(module, n), types.ModuleType)]


def submodules(modname: str) -> list[str]:
    """Public names of ``modname`` that are modules."""
    module = importlib.import_module(modname)
    return [n for n in public_names(module)
            if isinstance(getattr(module, n), types.ModuleType)]


def _page(modname: str, title: str, blurb: str) -> str:
    lines = [title, "=" * len(title), "", f".. automodule:: {modname}", "   :no-members:", "",
             blurb, ""]
    subs = submodules(modname)
    if subs:
        lines += ["Submodules: " + ", ".join(f":mod:`{modname}.{s}`" for s in subs) + ".", ""]
    lines += [f".. currentmodule:: {modname}", "", ".. autosummary::",
              "   :toctree: generated", "   :template: autosummary/object.rst", ""]
    lines += [f"   {name}" for name in documented_names(modname)]
    return "\n".join(lines) + "\n"


def write_pages(outdir: str) -> list[str]:
    """Write ``<outdir>/<module>.rst`` for every available module; return the page names.

    A file is rewritten only when its text changes, so incremental builds stay fast.
    """
    os.makedirs(outdir, exist_ok=True)
    pages = []
    for modname, title, blurb in available_modules():
        try:
            text = _page(modname, title, blurb)
        except ImportError:  # e.g. cgdopt.nn when torch is not installed
            continue
        _write_if_changed(os.path.join(outdir, modname + ".rst"), text)
        pages.append(modname)
    toc = ".. toctree::\n   :maxdepth: 1\n\n" + "".join(f"   modules/{m}\n" for m in pages)
    _write_if_changed(os.path.join(outdir, "toctree.txt"), toc)
    return pages


def _write_if_changed(path: str, text: str) -> None:
    old = open(path, encoding="utf-8").read() if os.path.exists(path) else None
    if old != text:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
