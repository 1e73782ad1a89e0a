"""The documentation site: one API page per public name, each with an example; math offline.

The fast tests read ``docs/api/apigen.py`` (which writes the API pages from each
module's ``__all__``) and ``docs/api/examples.py``.  The slow ones look at a
built site: the one named by the environment variable ``CGDOPT_DOCS_HTML``
(``.ci/run`` builds the site first and sets it), else a fresh strict build
into a temporary directory.
"""
from __future__ import annotations

import glob
import importlib
import os
import pkgutil
import re
import subprocess
import sys

import pytest

import cgdopt

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.path.join(ROOT, "docs")

sys.path.insert(0, os.path.join(DOCS, "api"))
try:
    apigen = importlib.import_module("apigen")
    examples = importlib.import_module("examples")
finally:
    sys.path.pop(0)


def _documented() -> list[tuple[str, str]]:
    out = []
    for modname, _, _ in apigen.available_modules():
        try:
            names = apigen.documented_names(modname)
        except ImportError:  # cgdopt.nn without torch
            continue
        out += [(modname, name) for name in names]
    return out


DOCUMENTED = _documented()


def test_every_public_subpackage_has_a_section():
    listed = {entry[0] for entry in apigen.API_MODULES}
    for info in pkgutil.iter_modules(cgdopt.__path__):
        if not info.name.startswith("_"):
            assert f"cgdopt.{info.name}" in listed, (
                f"cgdopt.{info.name} is public but docs/api/apigen.py API_MODULES omits it")


@pytest.mark.parametrize("modname", [m for m, _, _ in apigen.available_modules()])
def test_every_name_in_all_gets_a_page(modname):
    try:
        module = importlib.import_module(modname)
    except ImportError as exc:
        pytest.skip(f"{modname} cannot be imported here: {exc}")
    public = apigen.public_names(module)
    assert public, f"{modname} has no public names"
    pages = set(apigen.documented_names(modname))
    listed_modules = {m for m, _, _ in apigen.API_MODULES}
    for name in public:
        if name in pages:
            continue
        # a submodule in __all__ is covered by its own section
        assert f"{modname}.{name}" in listed_modules, f"{modname}.{name} has no API page"


@pytest.mark.parametrize("modname,name", DOCUMENTED, ids=[f"{m}.{n}" for m, n in DOCUMENTED])
def test_every_page_has_an_example(modname, name):
    obj = getattr(importlib.import_module(modname), name)
    assert examples.has_docstring_example(obj) or examples.example_for(f"{modname}.{name}", obj), (
        f"{modname}.{name}: add an Examples section to its docstring or an entry to "
        "docs/api/examples.py EXAMPLES")


def test_public_names_fallback_without_all():
    import types

    mod = types.ModuleType("fake")
    exec("import math\nCONST = 1\n_hidden = 2\ndef f(): pass\nclass C: pass\nlower = 3\n",
         mod.__dict__)
    for obj in (mod.f, mod.C):
        obj.__module__ = "fake"
    assert apigen.public_names(mod) == ["CONST", "f", "C"]


# --- the built site -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> str:
    given = os.environ.get("CGDOPT_DOCS_HTML")
    if given:
        path = given if os.path.isabs(given) else os.path.join(ROOT, given)
        assert os.path.isfile(os.path.join(path, "index.html")), f"no site at {path}"
        return path
    pytest.importorskip("sphinx")
    pytest.importorskip("numpydoc")
    pytest.importorskip("myst_parser")
    pytest.importorskip("sphinx-mathjax-offline")   # the docs extra: pip install -e ".[docs]"
    out = str(tmp_path_factory.mktemp("html"))
    proc = subprocess.run([sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-q",
                           "-b", "html", DOCS, out], cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    assert proc.returncode == 0, f"strict Sphinx build failed:\n{proc.stderr[-6000:]}"
    return out


@pytest.mark.slow
def test_site_has_a_page_with_an_example_for_every_name(site):
    missing, without_example = [], []
    for modname, name in DOCUMENTED:
        page = os.path.join(site, "api", "modules", "generated", f"{modname}.{name}.html")
        if not os.path.isfile(page):
            missing.append(page)
            continue
        with open(page, encoding="utf-8") as f:
            html = f.read()
        if not re.search(r">Examples?<", html):
            without_example.append(f"{modname}.{name}")
    assert not missing, f"{len(missing)} API pages missing, e.g. {missing[:5]}"
    assert not without_example, f"pages without an example: {without_example}"


@pytest.mark.slow
def test_site_loads_no_script_or_style_from_the_network(site):
    remote = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.I)
    offenders = []
    for page in glob.glob(os.path.join(site, "**", "*.html"), recursive=True):
        with open(page, encoding="utf-8") as f:
            for m in remote.finditer(f.read()):
                offenders.append(f"{os.path.relpath(page, site)}: {m.group(0)}")
    assert not offenders, "\n".join(offenders[:20])


@pytest.mark.slow
def test_math_is_rendered_by_a_bundled_mathjax(site):
    assert os.path.isfile(os.path.join(site, "_static", "mathjax", "tex-chtml.js"))
    fonts = glob.glob(os.path.join(site, "_static", "mathjax", "output", "chtml", "fonts",
                                   "woff-v2", "*.woff"))
    assert fonts, "MathJax fonts were not copied"
    with open(os.path.join(site, "theory.html"), encoding="utf-8") as f:
        html = f.read()
    assert 'src="_static/mathjax/tex-chtml.js' in html
    assert html.count('class="math') >= 5, "the theory page has no math"


@pytest.mark.slow
def test_footer_shows_copyright_and_version(site):
    with open(os.path.join(site, "index.html"), encoding="utf-8") as f:
        html = f.read()
    assert "2026, the cgdopt developers" in html
    assert cgdopt.__version__ in html
