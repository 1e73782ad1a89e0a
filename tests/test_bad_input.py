"""The bad-input matrix (issue 8): every public argument, refused with an error naming it.

Each row is ``(id, call, exception, match)``: ``call()`` must raise ``exception`` with a
message matching ``match``.  Errors for a wrong *type* are both ``TypeError`` and
``ValueError`` (``cgdopt._errors.InputTypeError``), so rows may name either.  A second
table lists faults during a run that end it with a status instead of an exception, as
scipy's methods do.
"""
import numpy as np
import pytest
import scipy.optimize

import cgdopt
import cgdopt.testfunctions as tf
from cgdopt.schedules import Constant, Linear

f = lambda x: float(x @ x)  # noqa: E731
g = lambda x: 2 * x  # noqa: E731
hp = lambda x, v: 2 * v  # noqa: E731
H = lambda x: 2 * np.eye(x.size)  # noqa: E731
X = np.ones(2)
ROSEN = tf.get("rosenbrock")


def mz(x0=X, fun=f, method="cgd-fd", jac=g, **kw):
    """cgdopt.minimize with a valid default for every argument."""
    return lambda: cgdopt.minimize(fun, x0, method=method, jac=jac, **kw)


def opt(**options):
    return mz(options=dict(options, maxiter=options.get("maxiter", 2)))


def sp(method=cgdopt.cgd_fd, x0=X, fun=f, jac=g, **kw):
    """The same through scipy.optimize.minimize(method=<cgdopt callable>)."""
    return lambda: scipy.optimize.minimize(fun, x0, method=method, jac=jac, **kw)


def raises(exc):
    def fn(*a, **k):
        raise exc("user code failed")
    return fn


def vec(value):
    return lambda x, *a: value


V, T, TV = ValueError, TypeError, (TypeError, ValueError)

X0 = [
    ("x0 2-D", mz(x0=np.ones((2, 2))), V, "x0 must be 1-D"),
    ("x0 row vector", mz(x0=np.ones((1, 2))), V, "x0 must be 1-D"),
    ("x0 nan", mz(x0=[1.0, np.nan]), V, "x0 must be finite"),
    ("x0 inf", mz(x0=[1.0, np.inf]), V, "x0 must be finite"),
    ("x0 -inf", mz(x0=[-np.inf, 1.0]), V, "x0 must be finite"),
    ("x0 empty", mz(x0=[]), V, "x0 must not be empty"),
    ("x0 empty array", mz(x0=np.zeros(0)), V, "x0 must not be empty"),
    ("x0 complex", mz(x0=[1 + 1j, 0]), V, "x0 must be real"),
    ("x0 complex zero imag", mz(x0=np.array([1, 0], dtype=complex)), V, "x0 must be real"),
    ("x0 str array", mz(x0=np.array(["a", "b"])), TV, "x0 must be a real"),
    ("x0 str", mz(x0="ab"), TV, "x0 must be a real"),
    ("x0 None", mz(x0=None), TV, "x0 must be a real"),
    ("x0 object array", mz(x0=np.array([1.0, None], dtype=object)), TV, "x0 must be a real"),
    ("x0 list with None", mz(x0=[1.0, None]), TV, "x0 must be a real"),
    ("x0 ragged", mz(x0=[[1.0], [1.0, 2.0]]), V, "x0 must be"),
    ("x0 bool array", mz(x0=np.array([True, False])), TV, "x0 must be a real"),
    ("x0 bool", mz(x0=True), TV, "x0 must be a real"),
    ("x0 dict", mz(x0={"a": 1}), TV, "x0 must be a real"),
    ("x0 wrong length for jac", mz(x0=np.ones(3), jac=vec(np.ones(2))), V,
     r"jac must return an array of shape \(3,\)"),
    ("x0 wrong length for test function", mz(x0=np.ones(3), fun=ROSEN, jac=None), V,
     "rosenbrock: x must have last dimension n=2"),
    ("x0 3-D", mz(x0=np.ones((1, 1, 2))), V, "x0 must be 1-D"),
]

FUN = [
    ("fun int", mz(fun=42), TV, "fun must be callable"),
    ("fun str", mz(fun="rosen"), TV, "fun must be callable"),
    ("fun None", mz(fun=None), TV, "fun must be callable"),
    ("fun array", mz(fun=np.ones(2)), TV, "fun must be callable"),
    ("fun returns vector", mz(fun=lambda x: x), V, "fun must return a real scalar"),
    ("fun returns str", mz(fun=lambda x: "1.0"), V, "fun must return a real scalar"),
    ("fun returns None", mz(fun=lambda x: None), V, "fun must return a real scalar"),
    ("fun returns complex", mz(fun=lambda x: 1 + 2j), V, "fun must return a real scalar"),
    ("fun returns pair without jac=True", mz(fun=lambda x: (1.0, 2 * x)), V,
     "fun must return a real scalar"),
    ("fun returns empty", mz(fun=lambda x: np.zeros(0)), V, "fun must return a real scalar"),
    ("fun returns dict", mz(fun=lambda x: {}), V, "fun must return a real scalar"),
    ("fun raises", mz(fun=raises(ZeroDivisionError)), ZeroDivisionError, "user code failed"),
    ("fun wrong args", mz(fun=lambda x, a: a, args=()), TV, r"fun must be callable as fun\(x\)"),
    ("args not accepted", mz(fun=f, args=(1.0,)), TV, r"fun must be callable as fun\(x, \*args\)"),
    ("args not a tuple is wrapped, still too many", mz(fun=f, args=1.0), TV, "2 positional"),
    ("fun no arguments", mz(fun=lambda: 1.0), TV, "fun must be callable as fun"),
    ("jac no arguments", mz(jac=lambda: 1.0), TV, r"jac must be callable as jac\(x\)"),
    ("jac without args", mz(fun=lambda x, a: float(x @ x), jac=g, args=(1,)), TV,
     r"jac must be callable as jac\(x, \*args\)"),
    ("fun plain numpy, jac=None", mz(fun=lambda x: float(np.sum(np.sin(x))), jac=None), TV,
     "autograd could not differentiate fun.*jac='2-point'"),
    ("fun plain numpy, jac=False", mz(fun=lambda x: float(np.sum(np.sin(x))), jac=False), TV,
     "jac was not given"),
]

JAC = [
    ("jac bad string", mz(jac="3-points"), V, "jac must be a callable, True, None"),
    ("jac 'central'", mz(jac="central"), V, "jac must be"),
    ("jac int", mz(jac=42), TV, "jac must be"),
    ("jac array", mz(jac=np.ones(2)), TV, "jac must be"),
    ("jac list", mz(jac=[1, 2]), TV, "jac must be"),
    ("jac wrong shape", mz(jac=vec(np.ones(3))), V, r"jac must return an array of shape \(2,\)"),
    ("jac scalar", mz(jac=vec(1.0)), V, r"jac must return an array of shape \(2,\)"),
    ("jac 2-D column", mz(jac=lambda x: x[:, None]), V, r"jac must return an array of shape \(2,\)"),
    ("jac returns str", mz(jac=vec("ab")), TV, "jac must return a real array"),
    ("jac returns str array", mz(jac=vec(np.array(["a", "b"]))), TV, "jac must return a real"),
    ("jac returns None", mz(jac=vec(None)), TV, "jac must return a real array"),
    ("jac returns complex", mz(jac=vec(np.array([1j, 1]))), TV, "jac must return a real array"),
    ("jac returns object", mz(jac=vec(np.array([1.0, None], dtype=object))), TV, "jac must return"),
    ("jac raises", mz(jac=raises(KeyError)), KeyError, "user code failed"),
    ("jac=True scalar fun", mz(jac=True), TV, r"with jac=True, fun must return a pair \(f, grad\)"),
    ("jac=True triple", mz(fun=lambda x: (f(x), g(x), 0), jac=True), TV, "must return a pair"),
    ("jac=True wrong grad shape", mz(fun=lambda x: (f(x), np.ones(5)), jac=True), V,
     r"jac must return an array of shape \(2,\)"),
    ("jac=True grad str", mz(fun=lambda x: (f(x), "g"), jac=True), TV, "jac must return a real"),
    ("jac=True f str", mz(fun=lambda x: ("f", g(x)), jac=True), V, "fun must return a real scalar"),
    ("jac cs real-only fun", mz(fun=lambda x: float(np.real(x @ x)), jac="cs"), TV,
     "jac='cs'.*complex"),
    ("jac_method bad", opt(jac_method="4-point"), V, "jac_method must be one of"),
    ("jac_method bool", opt(jac_method=True), TV, "jac_method must be one of"),
    ("jac and jac_method disagree", mz(options=dict(jac_method="2-point")), V,
     r"options\['jac_method'\]='2-point' disagree"),
]

HESS = [
    ("hessp wrong shape", mz(method="cgd", hessp=lambda x, v: np.ones(3)), V,
     r"hessp must return an array of shape \(2,\)"),
    ("hessp returns str", mz(method="cgd", hessp=vec("h")), TV, "hessp must return a real"),
    ("hessp returns None", mz(method="cgd", hessp=vec(None)), TV, "hessp must return a real"),
    ("hessp int", mz(method="cgd", hessp=5), TV, "hessp must be a callable, 'autograd' or None"),
    ("hessp FD string", mz(method="cgd", hessp="2-point"), V, "hessp must be a callable"),
    ("hessp array", mz(method="cgd", hessp=np.eye(2)), TV, "hessp must be a callable"),
    ("hessp raises", mz(method="cgd", hessp=raises(RuntimeError)), RuntimeError, "user code"),
    ("hessp one argument", mz(method="cgd", hessp=lambda x: x), TV,
     r"hessp must be callable as hessp\(x, v\)"),
    ("hess two arguments", mz(method="newton", hess=lambda x, v: np.eye(2)), TV,
     r"hess must be callable as hess\(x\)"),
    ("hess wrong shape", mz(method="newton", hess=lambda x: np.eye(3)), V,
     r"hess must return an array of shape \(2, 2\)"),
    ("hess wrong shape via cgd", mz(method="cgd", hess=lambda x: np.eye(3)), V,
     r"hess must return an array of shape \(2, 2\)"),
    ("hess vector", mz(method="newton", hess=lambda x: np.ones(2)), V, "hess must return an array"),
    ("hess returns str", mz(method="newton", hess=vec("H")), TV, "hess must return a real"),
    ("hess str", mz(method="newton", hess="3-point"), V, "hess must be a callable"),
    ("hess array", mz(method="newton", hess=np.eye(2)), TV, "hess must be a callable"),
    ("cgd without hessp", mz(method="cgd"), V, "method='cgd' needs Hessian-vector products"),
    ("newton without hess", mz(method="newton"), V, "method='newton' needs Hessian-vector"),
]

METHOD = [
    ("method bfgs", mz(method="bfgs"), V, "method must be one of"),
    ("method empty", mz(method=""), V, "method must be one of"),
    ("method cgd_fd spelled", mz(method="cgd_fd"), V, "method must be one of"),
    ("method int", mz(method=3), TV, "method must be one of"),
    ("method print", mz(method=print), V, "method must be one of"),
    ("method scipy callable", mz(method=scipy.optimize.minimize), V, "method must be one of"),
    ("method list", mz(method=["gd"]), TV, "method must be one of"),
]

TOL_CALLBACK = [
    ("tol str", mz(tol="1e-3"), TV, "tol must be"),
    ("tol negative", mz(tol=-1.0), V, "tol must be"),
    ("tol nan", mz(tol=np.nan), V, "tol must be"),
    ("tol bool", mz(tol=True), TV, "tol must be"),
    ("tol list", mz(tol=[1e-3]), TV, "tol must be"),
    ("callback int", mz(callback=3), TV, "callback must be callable or None"),
    ("callback str", mz(callback="print"), TV, "callback must be callable"),
    ("callback raises", mz(callback=raises(ArithmeticError)), ArithmeticError, "user code"),
    ("callback no arguments", mz(callback=lambda: None), TV, "callback must be callable as"),
    ("callback two arguments", mz(callback=lambda x, y: None), TV, "callback must be callable"),
    ("callback wrong keyword", mz(callback=lambda *, result: None), TV, "callback must be"),
]

OPTIONS_ARG = [
    ("options list", mz(options=[("step", 0.1)]), TV, "options must be a dict"),
    ("options str", mz(options="step=0.1"), TV, "options must be a dict"),
    ("options int", mz(options=3), TV, "options must be a dict"),
    ("options key int", mz(options={1: 2}), TV, "options keys must be strings"),
]

# (option, bad value, exception, message start) - the option table, value by value
BAD_VALUES = [
    ("step", 0.0, V, "step must be a finite number > 0"), ("step", -1.0, V, "step must be"),
    ("step", np.inf, V, "step must be"), ("step", "0.1", TV, "step must be"),
    ("step", True, TV, "step must be"), ("line_search", "exact", V, "line_search must be one of"),
    ("line_search", None, TV, "line_search must be one of"), ("line_search", 1, TV, "line_search"),
    ("maxiter", -1, V, "maxiter must be a number >= 0"), ("maxiter", "10", TV, "maxiter must be"),
    ("maxiter", np.nan, V, "maxiter must be"), ("maxiter", True, TV, "maxiter must be"),
    ("gtol", -1.0, V, "gtol must be a finite number >= 0"), ("gtol", np.inf, V, "gtol must be"),
    ("gtol", "1e-5", TV, "gtol must be"), ("norm", 0.5, V, "norm must be a number >= 1"),
    ("norm", "inf", TV, "norm must be"), ("norm", np.nan, V, "norm must be"),
    ("norm", -np.inf, V, r"norm must be a number >= 1 or np.inf, got -inf \(norm=-inf is min_i"),
    ("budget", 0, V, "budget must be an integer >= 1"), ("budget", 2.5, V, "budget must be an integer"),
    ("budget", "40", TV, "budget must be"), ("budget", np.inf, V, "budget must be an integer"),
    ("budget", True, TV, "budget must be"), ("c1", 0.0, V, "c1 must be"), ("c1", 1.5, V, "c1 must be"),
    ("c2", 1.0, V, "c2 must be"), ("c2", "0.9", TV, "c2 must be"),
    ("c1", 0.95, V, "c1 and c2 must satisfy 0 < c1 < c2 < 1"),
    ("shrink", 1.5, V, "shrink must be"), ("shrink", 0, V, "shrink must be"),
    ("shrink", 1, V, "shrink must be"), ("maxls", 0, V, "maxls must be an integer >= 1"),
    ("maxls", None, TV, "maxls must be"), ("maxls", 2.5, V, "maxls must be"),
    ("init_step", "previous", V, "init_step must be one of 'decrease', 'step'"),
    ("init_step", 1.0, TV, "init_step must be one of"),
    ("disp", "no", TV, "disp must be True or False"), ("disp", 2, TV, "disp must be"),
    ("disp", None, TV, "disp must be"), ("lam", -0.1, V, "lam must be"),
    ("lam", np.nan, V, "lam must be"), ("lam", "0.1", TV, "lam must be"), ("lam", True, TV, "lam"),
    ("lam", [0.1], TV, "lam must be"), ("lam", np.inf, V, "lam must be"),
    ("penalty", "l2", V, "penalty must be one of"), ("penalty", None, TV, "penalty must be"),
    ("p", 0.5, V, "p must be a finite number >= 1"), ("p", True, TV, "p must be"),
    ("p", "2", TV, "p must be"), ("p", np.inf, V, "p must be"),
    ("safeguard", "always", V, "safeguard must be one of"), ("safeguard", True, TV, "safeguard"),
    ("switch_after", -2, V, "switch_after must be an integer >= 0"),
    ("switch_after", "never", V, "switch_after must be"), ("switch_after", 1.5, V, "switch_after"),
    ("r", 0.0, V, "r must be a finite number other than 0"), ("r", np.nan, V, "r must be"),
    ("r", np.inf, V, "r must be"), ("r", "1e-3", TV, "r must be"),
    ("fd", "centered", V, "fd must be one of"), ("fd", 1, TV, "fd must be one of"),
    ("lamda", 0.3, V, "did you mean 'lam'"), ("setp", 0.1, V, "did you mean 'step'"),
    ("maxitr", 5, V, "did you mean 'maxiter'"), ("line_seach", "armijo", V, "did you mean"),
]
NEWTON_VALUES = [
    ("cg_maxiter", 0, V, "cg_maxiter must be an integer >= 1"),
    ("cg_maxiter", "5", TV, "cg_maxiter must be"), ("cg_rtol", 0.0, V, "cg_rtol must be"),
    ("cg_rtol", -1e-5, V, "cg_rtol must be"), ("safeguard", "switch!", V, "safeguard must be"),
]

OPTIONS = [(f"options {k}={v!r}", opt(**{k: v}), e, m) for k, v, e, m in BAD_VALUES] + [
    (f"newton {k}={v!r}", mz(method="newton", hessp=hp, options={k: v}), e, m)
    for k, v, e, m in NEWTON_VALUES]

BUDGET_SCHEDULE = [
    ("budget below cgd-fd cost", opt(budget=1), V, r"budget=1 is smaller than the cost of one cgd-fd"),
    ("budget below central cost", opt(budget=2, fd="central"), V, r"iteration \(3 gradient"),
    ("budget below jac=True cost", mz(fun=lambda x: (f(x), g(x)), jac=True, options=dict(budget=2)),
     V, r"cgd-fd iteration \(3"),
    ("lam callable negative", opt(lam=lambda k: -1.0), V, r"lam\(0\) must be finite and >= 0"),
    ("lam callable str", opt(lam=lambda k: "0.1"), TV, r"lam\(0\) must be a float"),
    ("lam callable nan", opt(lam=lambda k: np.nan), V, r"lam\(0\) must be finite"),
    ("lam callable raises", opt(lam=raises(IndexError)), IndexError, "user code"),
    ("lam callable without k", opt(lam=lambda: 0.1), TV, r"lam must be .* callable lam\(k\)"),
    ("lam callable returns list", opt(lam=lambda k: [0.1]), TV, r"lam\(0\) must be a float"),
    ("lam vector", opt(lam=np.array([0.1, 0.2])), TV, "lam must be"),
    ("Linear num 0", lambda: Linear(0, 1, num=0), V, "Linear.num must be a positive integer"),
    ("Linear num float", lambda: Linear(0, 1, num=2.5), TV, "Linear.num must be"),
    ("Linear num bool", lambda: Linear(0, 1, num=True), TV, "Linear.num must be"),
    ("Linear a negative", lambda: Linear(-1, 1), V, "Linear.a must be finite and >= 0"),
    ("Linear b str", lambda: Linear(0, "1"), TV, "Linear.b must be a float"),
    ("Constant nan", lambda: Constant(np.nan), V, "Constant.value must be finite"),
    ("Constant bool", lambda: Constant(True), TV, "Constant.value must be"),
    ("Linear unbound with maxiter inf", opt(lam=Linear(0, 1), maxiter=np.inf), V,
     "needs a finite maxiter or a budget"),
    ("Linear unbound called", lambda: Linear(0, 1)(3), RuntimeError, "no length"),
]

CUSTOM = [
    ("gd bounds", lambda: cgdopt.gd(f, X, jac=g, bounds=[(0, 1)] * 2), V, "bounds must be None"),
    ("gd constraints", lambda: cgdopt.gd(f, X, jac=g, constraints=[{"type": "eq", "fun": f}]), V,
     "constraints must be empty or None"),
    ("cgd_fd constraints dict", lambda: cgdopt.cgd_fd(f, X, jac=g, constraints={"type": "eq"}), V,
     "constraints must be empty"),
    ("newton constraints int", lambda: cgdopt.newton(f, X, jac=g, hess=H, constraints=5), V,
     "constraints must be empty"),
    ("cgd direct bad x0", lambda: cgdopt.cgd(f, np.ones((2, 2)), jac=g, hessp=hp), V, "x0 must be 1-D"),
    ("gd direct options list", lambda: cgdopt.gd(f, X, jac=g, options=[1]), TV, "options must be a dict"),
    ("gd direct options twice", lambda: cgdopt.gd(f, X, jac=g, step=0.1, options=dict(step=0.2)), V,
     "options given twice"),
    ("gd direct bad option", lambda: cgdopt.gd(f, X, jac=g, step="big"), TV, "step must be"),
    ("newton direct no hessian", lambda: cgdopt.newton(f, X, jac=g), V, "needs Hessian-vector"),
    ("cgd direct fun None", lambda: cgdopt.cgd(None, X, jac=g, hessp=hp), TV, "fun must be callable"),
    ("scipy gd bad option", sp(cgdopt.gd, options=dict(step=-1.0)), V, "step must be"),
    ("scipy cgd_fd near miss", sp(options=dict(lamda=0.1)), V, "did you mean 'lam'"),
    ("scipy cgd_fd bounds", sp(bounds=[(0, 1)] * 2), V, "bounds must be None"),
    ("scipy cgd_fd constraints", sp(constraints=[{"type": "ineq", "fun": f}]), V, "constraints"),
    ("scipy x0 2-D", sp(x0=np.ones((2, 2))), V, "x0"),
    ("scipy x0 nan", sp(x0=[np.nan, 1.0]), V, "x0 must be finite"),
    ("scipy x0 str", sp(x0=["a", "b"]), TV, "x0 must be a real"),
    ("scipy jac wrong shape", sp(jac=vec(np.ones(3))), V, "jac must return an array of shape"),
    ("scipy cgd hessp wrong shape", sp(cgdopt.cgd, hessp=lambda x, v: np.ones(4)), V,
     "hessp must return an array of shape"),
    ("scipy newton hess wrong", sp(cgdopt.newton, hess=lambda x: np.eye(3)), V, "hess must return"),
    ("scipy jac string is lost, autograd fails", sp(fun=lambda x: float(np.sum(np.sin(x))),
                                                    jac="2-point"), TV, "jac_method"),
    ("scipy options jac collides", sp(options=dict(jac="2-point")), T, "multiple values.*jac"),
    ("scipy tol str", sp(tol="x"), TV, "tol must be"),
    ("scipy callback int", sp(callback=3), TV, "callback must be callable"),
    ("scipy maxiter negative", sp(cgdopt.gd, options=dict(maxiter=-5)), V, "maxiter must be"),
    ("scipy disp str", sp(cgdopt.gd, options=dict(disp="yes")), TV, "disp must be"),
    ("scipy jac=True scalar fun", sp(jac=True), TV, "fun must return a pair|cannot unpack|subscript"),
]

TESTFUNCTIONS = [
    ("get unknown", lambda: tf.get("nope"), V, "unknown test function name 'nope'"),
    ("get near miss", lambda: tf.get("rosenbrok"), V, "did you mean 'rosenbrock'"),
    ("get int", lambda: tf.get(5), TV, "name must be a string"),
    ("get None", lambda: tf.get(None), TV, "name must be a string"),
    ("get n=0", lambda: tf.get("rosenbrock", n=0), V, "n must be an integer"),
    ("get n=1", lambda: tf.get("rosenbrock", n=1), V, "n must be an integer in"),
    ("get n float", lambda: tf.get("rosenbrock", n=2.5), TV, "n must be an integer"),
    ("get n bool", lambda: tf.get("rosenbrock", n=True), TV, "n must be an integer"),
    ("get n str", lambda: tf.get("rosenbrock", n="3"), TV, "n must be an integer"),
    ("get fixed dim", lambda: tf.get("branin", n=3), V, "branin: n must be 2"),
    ("f wrong length", lambda: ROSEN(np.ones(3)), V, "x must have last dimension n=2"),
    ("f nan", lambda: ROSEN(np.array([np.nan, 1.0])), V, "x must be finite"),
    ("f inf", lambda: ROSEN(np.array([1.0, np.inf])), V, "x must be finite"),
    ("f complex", lambda: ROSEN(np.array([1j, 1.0])), V, "x must be real"),
    ("f str", lambda: ROSEN("ab"), V, "x must be a numeric array"),
    ("f str array", lambda: ROSEN(np.array(["a", "b"])), V, "x must be"),
    ("f None", lambda: ROSEN(None), V, "x must be an array of real numbers"),
    ("f bool array", lambda: ROSEN(np.array([True, False])), V, "x must be an array of real"),
    ("f object array", lambda: ROSEN(np.array([1.0, None], dtype=object)), V, "x must be an array"),
    ("f scalar", lambda: ROSEN(1.0), V, "x must have last dimension n=2"),
    ("f batch wrong last dim", lambda: ROSEN(np.ones((4, 3))), V, "got shape \\(4, 3\\)"),
    ("f ragged", lambda: ROSEN([[1.0], [1.0, 2.0]]), V, "x must be"),
    ("grad wrong length", lambda: ROSEN.grad(np.ones(3)), V, "x must have last dimension"),
    ("grad nan", lambda: ROSEN.grad(np.array([np.nan, 1.0])), V, "x must be finite"),
    ("grad None", lambda: ROSEN.grad(None), V, "x must be"),
    ("hessp v wrong length", lambda: ROSEN.hessp(np.ones(2), np.ones(3)), V, "v must have last"),
    ("hessp v str", lambda: ROSEN.hessp(np.ones(2), "ab"), V, "v must be"),
    ("hessp v None", lambda: ROSEN.hessp(np.ones(2), None), V, "v must be"),
    ("hessp v nan", lambda: ROSEN.hessp(np.ones(2), np.array([np.nan, 0.0])), V, "v must be finite"),
    ("hess wrong length", lambda: ROSEN.hess(np.ones(3)), V, "x must have last dimension"),
    ("hessp batch shapes mismatch", lambda: ROSEN.hessp(np.ones((3, 2)), np.ones((4, 2))), V,
     "x and v must have broadcastable shapes"),
    ("hessp v complex", lambda: ROSEN.hessp(np.ones(2), np.array([1j, 0])), V, "v must be real"),
    ("hessp v bool", lambda: ROSEN.hessp(np.ones(2), np.array([True, False])), V, "v must be an"),
    ("f extra argument", lambda: ROSEN(np.ones(2), 3), T, "positional argument"),
    ("grad 3-D wrong last dim", lambda: ROSEN.grad(np.ones((2, 2, 3))), V, "last dimension n=2"),
    ("sample_x0 k bool", lambda: ROSEN.sample_x0(True), TV, "k must be an integer"),
    ("sample_x0 seed bool", lambda: ROSEN.sample_x0(2, seed=True), TV, "seed must be None"),
    ("get unknown keyword", lambda: tf.get("rosenbrock", foo=1), T, "foo"),
    ("get n float integral", lambda: tf.get("rosenbrock", n=3.0), TV, "n must be an integer"),
    ("sample_x0 k=0", lambda: ROSEN.sample_x0(0), V, "k must be an integer >= 1"),
    ("sample_x0 k float", lambda: ROSEN.sample_x0(2.5), TV, "k must be an integer"),
    ("sample_x0 seed str", lambda: ROSEN.sample_x0(2, seed="a"), TV, "seed must be None or an integer"),
    ("sample_x0 seed negative", lambda: ROSEN.sample_x0(2, seed=-1), V, "seed must be None"),
]

MATRIX = X0 + FUN + JAC + HESS + METHOD + TOL_CALLBACK + OPTIONS_ARG + OPTIONS + BUDGET_SCHEDULE \
    + CUSTOM + TESTFUNCTIONS


@pytest.mark.parametrize("call, exc, match", [row[1:] for row in MATRIX], ids=[row[0] for row in MATRIX])
def test_bad_input_is_refused_with_a_clear_error(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_matrix_ids_are_unique_and_the_matrix_is_large():
    ids = [row[0] for row in MATRIX]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 200


def test_every_public_argument_of_minimize_is_in_the_matrix():
    import inspect
    params = set(inspect.signature(cgdopt.minimize).parameters)
    covered = {p for p in params if any(row[0].startswith(p) for row in MATRIX)}
    assert covered == params
    from cgdopt._options import OPTIONS as TABLE
    assert set(TABLE) <= {k for k, *_ in BAD_VALUES + NEWTON_VALUES} | {"jac_method"}


def _nan_after(k):
    calls = []

    def fun(x):
        calls.append(1)
        return np.nan if len(calls) > k else float(x @ x)
    return fun


def _stop(intermediate_result):
    raise StopIteration


# faults during a run: the run ends with a status, x stays finite (scipy's convention)
FAULTS = [
    ("fun nan at x0", mz(fun=lambda x: np.nan), 3),
    ("fun inf at x0", mz(fun=lambda x: np.inf), 3),
    ("fun -inf at x0", mz(fun=lambda x: -np.inf), 3),
    ("fun nan later", mz(fun=_nan_after(3), method="gd", options=dict(line_search="fixed")), 3),
    ("jac nan", mz(method="gd", jac=vec(np.array([np.nan, 1.0]))), 3),
    ("jac inf", mz(method="gd", jac=vec(np.array([np.inf, 1.0]))), 3),
    ("fixed step overflows", mz(fun=lambda x: float(np.sum(x ** 4)), jac=lambda x: 4 * x ** 3,
                                x0=np.array([3.0, -2.0]), method="gd",
                                options=dict(line_search="fixed", step=10.0)), 3),
    ("callback StopIteration", mz(callback=_stop), 99),
    ("scipy callback StopIteration", sp(callback=_stop), 99),
    ("budget exhausted", mz(options=dict(budget=4, gtol=0.0)), 2),
    ("maxiter 0", mz(options=dict(maxiter=0)), 1),
    ("uphill direction, no safeguard", mz(
        fun=lambda x: float(np.cos(x[0])), jac=lambda x: np.array([-np.sin(x[0])]),
        hessp=lambda x, v: -np.cos(x[0]) * v, x0=np.array([0.3]), method="cgd",
        options=dict(lam=1.0, safeguard="none")), 4),
]


@pytest.mark.parametrize("call, status", [row[1:] for row in FAULTS], ids=[row[0] for row in FAULTS])
def test_faults_end_the_run_with_a_status(call, status):
    with np.errstate(all="ignore"):
        res = call()
    assert res.status == status, res.message
    assert not res.success
    assert np.all(np.isfinite(res.x))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.extra import numpy as hnp  # noqa: E402

ANY_X0 = st.one_of(
    st.none(), st.booleans(), st.text(max_size=3), st.complex_numbers(),
    st.integers(min_value=-10**30, max_value=10**30), st.floats(),
    st.lists(st.one_of(st.floats(), st.integers(min_value=-10**30, max_value=10**30), st.none(),
                       st.text(max_size=1)), max_size=3),
    st.lists(st.lists(st.floats(-5, 5), max_size=2), max_size=2),
    hnp.arrays(st.sampled_from([np.float64, np.float32, np.int64, np.bool_, np.complex128, np.uint8]),
               hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)))


@settings(max_examples=200, deadline=None)
@given(x0=ANY_X0)
def test_any_x0_runs_or_is_refused_by_name(x0):
    """Property: minimize either runs on x0 or refuses it with an error that names x0."""
    fun = lambda x: float(np.sum(x * x))  # noqa: E731
    try:
        with np.errstate(all="ignore"):
            res = cgdopt.minimize(fun, x0, method="gd", jac=lambda x: 2 * x, options=dict(maxiter=2))
    except (TypeError, ValueError) as exc:
        assert str(exc).startswith("x0 must"), exc
    else:
        assert res.x.ndim == 1 and res.x.size >= 1 and np.all(np.isfinite(res.x))


ANY_RETURN = st.one_of(
    st.none(), st.booleans(), st.text(max_size=3), st.complex_numbers(), st.floats(),
    st.integers(min_value=-10**30, max_value=10**30),
    st.lists(st.floats(), max_size=3), st.tuples(st.floats(), st.floats()),
    hnp.arrays(st.sampled_from([np.float64, np.int64, np.complex128, np.object_, np.str_]),
               hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3)))


@settings(max_examples=150, deadline=None)
@given(value=ANY_RETURN, which=st.sampled_from(["fun", "jac", "hessp"]))
def test_any_return_value_runs_or_is_refused_by_name(value, which):
    """Property: whatever fun, jac or hessp returns, the run goes on, ends with a status,
    or stops with an error naming the callable."""
    fun, jac, hessp = (lambda x: float(x @ x)), (lambda x: 2 * x), (lambda x, v: 2 * v)
    if which == "fun":
        fun = lambda x: value  # noqa: E731
    elif which == "jac":
        jac = lambda x: value  # noqa: E731
    else:
        hessp = lambda x, v: value  # noqa: E731
    try:
        with np.errstate(all="ignore"):
            res = cgdopt.minimize(fun, np.ones(2), method="cgd", jac=jac, hessp=hessp,
                                  options=dict(maxiter=2))
    except (TypeError, ValueError) as exc:
        assert str(exc).startswith(f"{which} must"), exc
    else:
        assert np.all(np.isfinite(res.x)) and res.status in (0, 1, 2, 3, 4, 5)
