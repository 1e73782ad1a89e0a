"""Short examples for the API pages of public names whose docstring has no ``Examples`` section.

Each entry is a complete script: ``tests/test_docs_examples.py`` runs every one,
and ``docs/api/apigen.py`` puts it on the object's page.  The test-function
classes share one generated example (:func:`example_for`).  A docstring that
gains its own ``Examples`` section makes its entry here unnecessary (the page
then shows the docstring's).
"""
from __future__ import annotations

import inspect
import textwrap

_QUAD = """\
import numpy as np
f = lambda x: float(x @ x)            # f(x) = |x|^2
grad = lambda x: 2 * x
"""


def _scheduler_example(name: str, construct: str) -> str:
    """The example of one ``cgdopt.nn`` scheduler: ``construct`` drives ``group["gr_gamma"]``."""
    return f"""\
import torch
from cgdopt.nn import GR, {name}

model = torch.nn.Linear(3, 1)
x, y = torch.randn(16, 3), torch.randn(16, 1)
opt = GR(model.parameters(), base=torch.optim.SGD, lr=0.1, gamma=0.05, eps=0.05)
sched = {construct}              # drives group["gr_gamma"]

def closure():
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    return loss

for step in range(5):
    opt.step(closure)
    sched.step()
    print(step, opt.param_groups[0]["gr_gamma"])
"""

EXAMPLES: dict[str, str] = {
    # --- cgdopt -----------------------------------------------------------------------------
    "cgdopt.minimize": """\
import cgdopt
from cgdopt import testfunctions as tf

f = tf.get("rotated_hyper_ellipsoid", n=5)
res = cgdopt.minimize(f, f.x0, method="cgd-fd", jac=f.grad,
                      options=dict(step=0.01, lam=0.5, r=1e-3, budget=40))
print(res.status, res.njev, res.fun < f(f.x0))
""",
    "cgdopt.gd": """\
import scipy.optimize, cgdopt
from cgdopt import testfunctions as tf

f = tf.get("matyas")
res = scipy.optimize.minimize(f, f.x0, method=cgdopt.gd, jac=f.grad,
                              options=dict(step=0.1, budget=20))
print(res.njev, res.message)
""",
    "cgdopt.cgd": """\
import scipy.optimize, cgdopt
from cgdopt import testfunctions as tf

f = tf.get("matyas")
res = scipy.optimize.minimize(f, f.x0, method=cgdopt.cgd, jac=f.grad, hessp=f.hessp,
                              options=dict(step=0.1, lam=0.1, budget=20))
print(res.nhev > 0, res.message)
""",
    "cgdopt.cgd_fd": """\
import scipy.optimize, cgdopt
from cgdopt import testfunctions as tf

f = tf.get("matyas")
res = scipy.optimize.minimize(f, f.x0, method=cgdopt.cgd_fd, jac=f.grad,
                              options=dict(step=0.1, lam=0.1, r=1e-3, budget=20))
print(res.njev, res.message)
""",
    "cgdopt.newton": """\
import scipy.optimize, cgdopt
from cgdopt import testfunctions as tf

f = tf.get("matyas")
res = scipy.optimize.minimize(f, f.x0, method=cgdopt.newton, jac=f.grad, hessp=f.hessp)
print(res.success, abs(res.fun - f.f_opt) < 1e-8)
""",
    "cgdopt.STATUS_MESSAGES": """\
import cgdopt
for status, message in cgdopt.STATUS_MESSAGES.items():
    print(status, message)
""",
    "cgdopt.regularized_objective": """\
import numpy as np, cgdopt
from cgdopt import testfunctions as tf

f = tf.get("matyas")
g = cgdopt.regularized_objective(f, lam=0.1)
print(g(f.x0) >= f(f.x0))
""",
    "cgdopt.stationary_points": """\
import numpy as np, cgdopt

# f(x) = x^4/4 - x^2/2 has minima at -1 and 1 and a maximum at 0
f = lambda x: float(x[0] ** 4 / 4 - x[0] ** 2 / 2)
grad = lambda x: np.array([x[0] ** 3 - x[0]])
for point in cgdopt.stationary_points(f, grad, (-2.0, 2.0)):
    print(point)
""",
    "cgdopt.directions.Ops": """\
import numpy as np
from cgdopt import directions

class LoggingOps(directions.ArrayOps):      # any object with the four primitives will do
    def dot(self, x, y):
        print("dot")
        return super().dot(x, y)

g = np.array([1.0, -2.0])
print(directions.is_descent(g, g, ops=LoggingOps()))
""",
    "cgdopt.directions.fd_normalized_weight": """\
from cgdopt import directions
# probe x + r u/|u| with |u| = 5: the weight carries |u|
print(directions.fd_normalized_weight(lam=0.5, coef=2.0, r=1e-3, u_norm=5.0))
""",
    "cgdopt.directions.fd_combination": """\
from cgdopt import directions
print(directions.fd_combination(0.25, "forward"))   # G = 0.75 g0 + 0.25 g(x + r u)
print(directions.fd_combination(0.25, "central"))
""",
    "cgdopt.linesearch.trial_point": """\
import numpy as np
from cgdopt.linesearch import trial_point

p, sq = trial_point(np.array([1.0, 1.0]), 0.5, np.array([2.0, 0.0]))
print(p, sq)                               # x - alpha G and its squared norm
""",
    "cgdopt.linesearch.bind": """\
import cgdopt
from cgdopt import testfunctions as tf

# minimize binds the rule named by options["line_search"] once per run:
f = tf.get("rosenbrock")
res = cgdopt.minimize(f, f.x0, method="gd", jac=f.grad,
                      options=dict(line_search="armijo", step=1.0, maxiter=50))
print(res.nfev >= res.nit)
""",
    "cgdopt.nn.ParamGroupLambda": _scheduler_example("ParamGroupLambda", "ParamGroupLambda(opt, lambda t: 0.5 ** t)"),
    "cgdopt.nn.LinearWarmup": _scheduler_example("LinearWarmup", "LinearWarmup(opt, warmup_steps=4)"),
    "cgdopt.nn.LinearDecay": _scheduler_example("LinearDecay", "LinearDecay(opt, total_steps=4)"),
    "cgdopt.nn.CosineDecay": _scheduler_example("CosineDecay", "CosineDecay(opt, total_steps=4)"),
    # --- cgdopt.bench and cgdopt.experiments -------------------------------------------------
    "cgdopt.bench.run": """\
import tempfile
import cgdopt.bench

out = tempfile.mkdtemp()
df = cgdopt.bench.run("compare", out=out, functions="matyas", methods=["gd", "cgd-fd"],
                      budget=20, starts=2, workers=1, quiet=True)
print(df.groupby("solver")["f_err"].median())
""",
    "cgdopt.bench.load": """\
import tempfile
import cgdopt.bench

out = tempfile.mkdtemp()
df = cgdopt.bench.run("compare", out=out, functions="booth", methods=["gd"],
                      budget=10, starts=1, workers=1, quiet=True)
print(cgdopt.bench.load(out).equals(df))   # a finished (or interrupted) study, read back
""",
    "cgdopt.experiments.run": """\
import tempfile
from cgdopt.experiments import run

out = tempfile.mkdtemp()
runs = run("two-param", out=out, sweep_h=[0.02], quiet=True, workers=1, device="cpu")
print(runs[["key", "status"]].to_string(index=False))
""",
    "cgdopt.experiments.load": """\
import tempfile
from cgdopt.experiments import load, run

out = tempfile.mkdtemp()
runs = run("two-param", out=out, sweep_h=[0.02], quiet=True, workers=1, device="cpu")
print(len(load(out)) == len(runs))
""",
    "cgdopt.experiments.EXPERIMENTS": """\
from cgdopt.experiments import EXPERIMENTS
for name, module in EXPERIMENTS.items():   # CLI name -> module in cgdopt.experiments
    print(name, "->", module)
""",
    "cgdopt.experiments.COMMON": """\
from cgdopt.experiments import COMMON
print(COMMON)              # the options every experiment takes, with their defaults
""",
    "cgdopt.experiments.resolve_options": """\
from cgdopt.experiments import resolve_options
opts = resolve_options("two-param", {"sweep_h": [0.01]})
print(opts["sweep_h"])
try:
    resolve_options("two-param", {"no_such_option": 1})
except ValueError as err:
    print(err)
""",
    "cgdopt.experiments.default_out": """\
from cgdopt.experiments import default_out
print(default_out("dln"))  # where results go without --out
""",
    # --- more of cgdopt.testfunctions -----------------------------------------------------
    "cgdopt.testfunctions.aliases": """\
from cgdopt import testfunctions as tf
for alias, name in list(tf.aliases().items())[:5]:
    print(alias, "->", name)
""",
    "cgdopt.testfunctions.register_alias": """\
from cgdopt import testfunctions as tf
tf.register_alias("my_banana", "rosenbrock")
print(tf.get("my_banana").name)
""",
    # --- cgdopt.directions --------------------------------------------------------------------
    "cgdopt.directions.PENALTIES": "from cgdopt import directions\nprint(directions.PENALTIES)\n",
    "cgdopt.directions.FD_SCHEMES": "from cgdopt import directions\nprint(directions.FD_SCHEMES)\n",
    "cgdopt.directions.SAFEGUARDS": "from cgdopt import directions\nprint(directions.SAFEGUARDS)\n",
    "cgdopt.directions.PROBE_SIGNS": """\
from cgdopt import directions
print(directions.PROBE_SIGNS["central"])   # probes at x + r u and x - r u
""",
    "cgdopt.directions.ArrayOps": """\
import numpy as np
from cgdopt.directions import ArrayOps

ops = ArrayOps()
print(ops.axpby(2.0, np.ones(3), -1.0, np.arange(3.0)))
""",
    "cgdopt.directions.ARRAY_OPS": """\
import numpy as np
from cgdopt.directions import ARRAY_OPS

print(ARRAY_OPS.dot(np.array([1.0, 2.0]), np.array([3.0, 4.0])))
""",
    "cgdopt.directions.check_penalty": """\
from cgdopt import directions
directions.check_penalty("pow", 2.0)      # fine
try:
    directions.check_penalty("pow", 0.5)
except ValueError as err:
    print(err)
""",
    "cgdopt.directions.check_fd_scheme": """\
from cgdopt import directions
directions.check_fd_scheme("central")     # fine
try:
    directions.check_fd_scheme("sideways")
except ValueError as err:
    print(err)
""",
    "cgdopt.directions.penalty_vector": """\
import numpy as np
from cgdopt import directions

g = np.array([3.0, -0.5, 0.0])
print(directions.penalty_vector(g, p=1))   # sign(g)
print(directions.penalty_vector(g, p=2))   # g itself
""",
    "cgdopt.directions.penalty_coefficient": """\
import numpy as np
from cgdopt import directions

g = np.array([3.0, 4.0])
print(directions.penalty_coefficient(g, "pow", 2))   # c = p
print(directions.penalty_coefficient(g, "norm", 2))  # c = 1 / |g|_2
""",
    "cgdopt.directions.penalty_value": """\
import numpy as np
from cgdopt import directions

g = np.array([3.0, 4.0])
print(directions.penalty_value(g, "pow", 2), directions.penalty_value(g, "norm", 2))
""",
    "cgdopt.directions.fd_weight": """\
from cgdopt import directions
lam, r = 0.5, 1e-3
print(directions.fd_weight(lam, 2.0, r))   # nu = lam * c / r = 2 lam / r for p = 2
""",
    "cgdopt.directions.exact_regularized_gradient": """\
import numpy as np
from cgdopt import directions

H = np.diag([1.0, 10.0])                   # f(x) = x^T H x / 2
x = np.array([1.0, 1.0])
g = H @ x
G = directions.exact_regularized_gradient(g, H @ g, lam=0.1, coef=2.0)
print(G)                                   # (I + 2 lam H) grad f
""",
    "cgdopt.directions.fd_regularized_gradient": """\
import numpy as np
from cgdopt import directions

H = np.diag([1.0, 10.0])
grad = lambda x: H @ x
x, lam, r = np.array([1.0, 1.0]), 0.1, 1e-4
g0 = grad(x)
nu = directions.fd_weight(lam, 2.0, r)
G = directions.fd_regularized_gradient(g0, [grad(x + r * g0)], nu, fd="forward")
print(np.allclose(G, g0 + 2 * lam * H @ g0))   # exact for a quadratic
""",
    "cgdopt.directions.is_descent": """\
import numpy as np
from cgdopt import directions

g = np.array([1.0, 0.0])
print(directions.is_descent(g, np.array([1.0, 5.0])), directions.is_descent(g, -g))
""",
    "cgdopt.directions.safeguard": """\
import numpy as np
from cgdopt import directions

g = np.array([1.0, 0.0])
print(directions.safeguard(g, -g))         # not a descent direction: falls back to g
""",
    # --- cgdopt.schedules ---------------------------------------------------------------------
    "cgdopt.schedules.Schedule": """\
from cgdopt.schedules import Schedule, Linear
print(isinstance(Linear(0.0, 1.0, num=5), Schedule))
""",
    "cgdopt.schedules.Constant": """\
from cgdopt.schedules import Constant
lam = Constant(0.5)
print(lam(0), lam(100))
""",
    "cgdopt.schedules.Linear": """\
from cgdopt.schedules import Linear
lam = Linear(0.0, 1.0, num=5)
print([lam(k) for k in range(5)])
""",
    "cgdopt.schedules.as_schedule": """\
from cgdopt.schedules import as_schedule
print(as_schedule(0.5)(3), as_schedule(lambda k: 1.0 / (k + 1))(3))
""",
    # --- cgdopt.linesearch --------------------------------------------------------------------
    "cgdopt.linesearch.LINE_SEARCHES": """\
import cgdopt
from cgdopt import linesearch, testfunctions as tf

f = tf.get("rosenbrock")
for rule in linesearch.LINE_SEARCHES:
    res = cgdopt.minimize(f, f.x0, method="gd", jac=f.grad,
                          options=dict(line_search=rule, step=1e-3, maxiter=50))
    print(rule, res.fun < f(f.x0))
""",
    "cgdopt.linesearch.RULES": "from cgdopt import linesearch\nprint(sorted(linesearch.RULES))\n",
    "cgdopt.linesearch.fixed": """\
import cgdopt
from cgdopt import testfunctions as tf

f = tf.get("matyas")       # minimize(..., options=dict(line_search="fixed", step=...))
res = cgdopt.minimize(f, f.x0, method="gd", jac=f.grad,
                      options=dict(line_search="fixed", step=0.1, maxiter=10))
print(res.nfev, res.njev)  # a fixed step needs no function values
""",
    "cgdopt.linesearch.armijo": """\
import cgdopt
from cgdopt import testfunctions as tf

f = tf.get("rosenbrock")
res = cgdopt.minimize(f, f.x0, method="gd", jac=f.grad,
                      options=dict(line_search="armijo", step=1.0, maxiter=100))
print(res.fun < f(f.x0), res.nfev > 0)
""",
    "cgdopt.linesearch.first_trial": """\
import numpy as np
from cgdopt.linesearch import first_trial

g = np.array([30.0, -40.0])                # ||g|| = 50, d = -g, slope = -||g||^2
a0 = first_trial(1.0, 5.0, -g.dot(g), g, None)
print(a0, a0 * np.linalg.norm(g))          # first iteration: a step of length 1.01
print(first_trial(1.0, 5.0, -g.dot(g), g, 5.5))   # previous f = 5.5: 1.01 * 2 * 0.5 / 2500
""",
    "cgdopt.linesearch.wolfe": """\
import cgdopt
from cgdopt import testfunctions as tf

f = tf.get("rosenbrock")
res = cgdopt.minimize(f, f.x0, method="gd", jac=f.grad,
                      options=dict(line_search="wolfe", maxiter=100))
print(res.fun < f(f.x0))
""",
    # --- cgdopt.testfunctions -----------------------------------------------------------------
    "cgdopt.testfunctions.TestFunction": """\
from cgdopt import testfunctions as tf

f = tf.get("levy", n=3)
print(isinstance(f, tf.TestFunction), f.n, f.bounds.shape, f(f.x_opt[0]), f.f_opt)
print(f.grad(f.x0).shape, f.hessp(f.x0, f.x0).shape, f(f.bounds.T).shape)
""",
    "cgdopt.testfunctions.LeastSquaresFunction": """\
from cgdopt import testfunctions as tf

f = tf.get("beale")        # f(x) = sum_i r_i(x)^2 (Moré, Garbow & Hillstrom)
print(isinstance(f, tf.LeastSquaresFunction), f.m, f(f.x0))
""",
    "cgdopt.testfunctions.names": """\
from cgdopt import testfunctions as tf
print(len(tf.names()), tf.names("paper"))
""",
    "cgdopt.testfunctions.get": """\
from cgdopt import testfunctions as tf
f = tf.get("griewank", n=10)
print(f.title, f.n, f(f.x0))
""",
    "cgdopt.testfunctions.get_class": """\
from cgdopt import testfunctions as tf
cls = tf.get_class("ackley")
print(cls.__name__, cls(n=4).n)
""",
    "cgdopt.testfunctions.register": """\
import autograd.numpy as anp
from cgdopt import testfunctions as tf

@tf.register
class MySphere(tf.TestFunction):
    name = "my_sphere"
    title = "My sphere"
    dim = None
    default_dim = 2
    tags = ("convex",)
    formula = "sum x_i^2"
    reference = "an example"

    def _default_bounds(self):
        return anp.array([[-1.0, 1.0]] * self.n)

    def _f(self, x):
        return anp.sum(x ** 2, axis=-1)

print("my_sphere" in tf.names())
""",
    "cgdopt.testfunctions.set_num_threads": """\
from cgdopt import testfunctions as tf
tf.set_num_threads(1)       # evaluate large batches on one thread
print(tf.get_num_threads())
""",
    "cgdopt.testfunctions.get_num_threads": """\
from cgdopt import testfunctions as tf
print(tf.get_num_threads() >= 1)
""",
    "cgdopt.testfunctions.catalog.catalog_markdown": """\
from cgdopt.testfunctions.catalog import catalog_markdown
print(catalog_markdown().splitlines()[0])
""",
    "cgdopt.testfunctions.catalog.main": """\
import subprocess, sys
out = subprocess.run([sys.executable, "-m", "cgdopt.testfunctions.catalog"],
                     capture_output=True, text=True, check=True).stdout
print(out.splitlines()[0])
""",
    # --- cgdopt.nn ----------------------------------------------------------------------------
    "cgdopt.nn.GR": """\
import torch
from cgdopt.nn import GR

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
x, y = torch.randn(32, 4), torch.randn(32, 1)
opt = GR(model.parameters(), base=torch.optim.SGD, lr=0.1, gamma=0.02, eps=0.01)

def closure():
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    return loss

for _ in range(5):
    loss = opt.step(closure)
print(loss.item())
""",
    "cgdopt.nn.SAM": """\
import torch
from cgdopt.nn import SAM

torch.manual_seed(0)
model = torch.nn.Linear(4, 1)
x, y = torch.randn(32, 4), torch.randn(32, 1)
opt = SAM(model.parameters(), base=torch.optim.SGD, rho=0.05, lr=0.1)

def closure():
    opt.zero_grad()
    loss = torch.nn.functional.mse_loss(model(x), y)
    loss.backward()
    return loss

for _ in range(5):
    loss = opt.step(closure)
print(loss.item())
""",
    "cgdopt.nn.flooding": """\
import torch
from cgdopt.nn import flooding

loss = torch.tensor(0.02, requires_grad=True)
flooded = flooding(loss, b=0.05)   # |L - b| + b: gradient ascent below the flood level
flooded.backward()
print(flooded.item(), loss.grad.item())
""",
    "cgdopt.nn.models.BasicBlock": """\
import torch
from cgdopt.nn.models import BasicBlock

block = BasicBlock(16, 32, stride=2)
print(block(torch.randn(2, 16, 8, 8)).shape)
""",
    "cgdopt.nn.models.count_parameters": """\
import torch
from cgdopt.nn.models import count_parameters

print(count_parameters(torch.nn.Linear(10, 3)))   # 10 * 3 weights + 3 biases
""",
}


def _testfunction_example(fullname: str, obj: type) -> str:
    module, _, cls = fullname.rpartition(".")
    return textwrap.dedent(f"""\
        from {module} import {cls}

        f = {cls}()
        print(f.name, f.n, f.f_opt)
        print(f(f.x0), f.grad(f.x0).shape)
        """)


def example_for(fullname: str, obj: object) -> str | None:
    """The table's example for ``fullname``, or a generated one for a test-function class."""
    if fullname in EXAMPLES:
        return EXAMPLES[fullname]
    if inspect.isclass(obj) and fullname.startswith("cgdopt.testfunctions."):
        from cgdopt.testfunctions import TestFunction

        if issubclass(obj, TestFunction) and obj is not TestFunction:
            return _testfunction_example(fullname, obj)
    return None


def has_docstring_example(obj: object) -> bool:
    """Whether ``obj``'s own docstring has a numpydoc ``Examples`` section."""
    doc = inspect.getdoc(obj) if (inspect.isfunction(obj) or inspect.isclass(obj)) else None
    return bool(doc) and "\nExamples\n--------" in "\n" + str(doc)
