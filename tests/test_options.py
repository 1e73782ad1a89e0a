"""The option table: every option checked the same way (issue 8, defects 12 and 13)."""
import math
import warnings

import numpy as np
import pytest
import scipy.optimize
from scipy.optimize import OptimizeWarning

import cgdopt
from cgdopt._options import DEFAULTS, OPTIONS, validate_options

f = lambda x: float(x @ x)  # noqa: E731
g = lambda x: 2 * x  # noqa: E731


def call(method="cgd-fd", x0=np.ones(2), **options):
    return cgdopt.minimize(f, x0, method=method, jac=g, options=options)


def method_of(name):
    return next(m for m in ("cgd-fd", "cgd", "newton", "gd") if m in OPTIONS[name].methods)


# a valid value per option, to build the numeric-type cases from
VALID_NUMBER = dict(step=0.5, maxiter=3, gtol=1e-6, norm=2, budget=40, c1=1e-4, c2=0.9,
                    shrink=0.5, maxls=20, lam=0.1, p=2, switch_after=2, r=1e-3, cg_maxiter=5,
                    cg_rtol=1e-5)


@pytest.mark.parametrize("name", sorted(OPTIONS))
@pytest.mark.parametrize("bad", [True, False, np.True_, "0.1", b"1", [0.1], {}, 1j],
                         ids=["True", "False", "np.True_", "str", "bytes", "list", "dict", "complex"])
def test_every_option_refuses_bool_str_and_containers(name, bad):
    if name == "disp" and isinstance(bad, (bool, np.bool_)):
        pytest.skip("disp is the one flag")
    if name == "lam" and isinstance(bad, dict):
        pytest.skip("a dict is not callable either; covered by the generic message below")
    with pytest.raises((TypeError, ValueError), match=rf"^{name} must be .*got"):
        validate_options(method_of(name), {name: bad})


@pytest.mark.parametrize("name", sorted(VALID_NUMBER))
@pytest.mark.parametrize("cast", [int, float, np.int64, np.int32, np.float32, np.float64, np.array],
                         ids=["int", "float", "int64", "int32", "float32", "float64", "0-d array"])
def test_every_number_option_accepts_python_and_numpy_numbers(name, cast):
    value = VALID_NUMBER[name]
    if cast in (int, np.int64, np.int32) and value != int(value):
        pytest.skip("not an integer value")
    opts = validate_options(method_of(name), {name: cast(value)})
    got = opts[name] if name != "lam" else opts["lam"]
    assert got == pytest.approx(float(value), rel=1e-6)
    assert not isinstance(got, np.ndarray)


@pytest.mark.parametrize("name", sorted(VALID_NUMBER))
def test_every_number_option_refuses_nan(name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        validate_options(method_of(name), {name: np.nan})


def test_lam_string_is_refused_like_step():  # defect 12: lam='0.1' was accepted
    for name in ("lam", "step"):
        with pytest.raises(TypeError, match=f"{name} must be"):
            call(**{name: "0.1"})


def test_p_true_is_refused_and_numpy_integers_accepted():
    with pytest.raises(TypeError, match="p must be"):
        call(p=True)
    assert call(p=np.int64(2), maxiter=2).nit == 2
    assert call(budget=np.int64(10), maxiter=np.int32(2)).nit == 2


def test_integral_floats_are_integers_but_fractions_are_not():
    assert validate_options("gd", dict(budget=40.0))["budget"] == 40
    with pytest.raises(ValueError, match=r"budget must be an integer >= 1 or None, got 2\.5"):
        validate_options("gd", dict(budget=2.5))


@pytest.mark.parametrize("disp", ["no", "yes", 2, -1, 0.5, None])
def test_disp_must_be_a_flag(disp):  # defect 12: disp='no' printed
    with pytest.raises(TypeError, match="disp must be True or False"):
        call(disp=disp)


@pytest.mark.parametrize("disp", [False, 0, np.False_])
def test_disp_false_prints_nothing(disp, capsys):
    call(disp=disp, maxiter=2)
    assert capsys.readouterr().out == ""


def test_disp_on_success_prints_the_message(capsys):
    res = call(disp=1, method="gd", gtol=1e-3)
    assert res.success
    assert capsys.readouterr().out.startswith("Optimization terminated successfully")


def test_disp_on_failure_warns_like_scipy():  # scipy gh-1953
    with pytest.warns(OptimizeWarning, match="Maximum number of iterations"):
        res = call(disp=True, maxiter=1)
    assert res.status == 1
    # scipy's own BFGS does the same
    with pytest.warns(OptimizeWarning, match="Maximum number of iterations"):
        scipy.optimize.minimize(f, np.ones(2), method="BFGS", jac=g, options=dict(maxiter=0, disp=True))


@pytest.mark.parametrize("maxiter", [0, 1, 3.1, 2.0, np.float32(2.5)])
def test_fractional_maxiter_runs_as_many_iterations_as_scipy(maxiter):  # defect 13
    fun, jac, x0 = scipy.optimize.rosen, scipy.optimize.rosen_der, np.array([-1.2, 1.0])
    theirs = scipy.optimize.minimize(fun, x0, method="CG", jac=jac, options=dict(maxiter=maxiter))
    ours = cgdopt.minimize(fun, x0, method="gd", jac=jac, options=dict(maxiter=maxiter))
    assert ours.nit == theirs.nit == math.ceil(maxiter)
    assert ours.status == 1


def test_infinite_maxiter_runs_to_convergence():
    res = call(method="gd", maxiter=np.inf, gtol=1e-8)
    assert res.success and res.status == 0
    res = call(maxiter=math.inf, gtol=1e-8)
    assert res.success


def test_linear_schedule_needs_a_length_with_infinite_maxiter():
    with pytest.raises(ValueError, match="Linear.* needs a finite maxiter or a budget"):
        call(maxiter=np.inf, lam=cgdopt.schedules.Linear(0, 1))


@pytest.mark.parametrize("bad", [-1, -0.5, np.nan, -np.inf])
def test_maxiter_below_zero_or_nan_is_refused(bad):
    with pytest.raises(ValueError, match="maxiter must be a number >= 0"):
        call(maxiter=bad)


@pytest.mark.parametrize("name, suggestion", [("lamda", "lam"), ("gtl", "gtol"), ("stp", "step"),
                                              ("swich_after", "switch_after"), ("budjet", "budget"),
                                              ("line_serach", "line_search"), ("safegaurd", "safeguard")])
def test_near_miss_of_own_option_is_an_error_with_suggestion(name, suggestion):
    with pytest.raises(ValueError, match=rf"unknown option '{name}'.*did you mean '{suggestion}'"):
        call(**{name: 1})


def test_near_miss_of_another_methods_option_says_whose():
    with pytest.raises(ValueError, match=r"did you mean 'lam' \(an option of cgd, cgd-fd\)"):
        call(method="gd", lamda=0.1)


@pytest.mark.parametrize("name", ["xtol", "ftol", "return_all", "eps", "maxfun", "finite_diff_rel_step"])
def test_options_of_scipy_methods_warn_as_scipy_does(name):
    with pytest.warns(OptimizeWarning, match=f"Unknown solver options: {name}"):
        call(maxiter=1, **{name: 1})


def test_an_unrelated_unknown_option_warns():
    with pytest.warns(OptimizeWarning, match="Unknown solver options: frobnicate"):
        call(maxiter=1, frobnicate=3)


def test_an_option_of_another_cgdopt_method_warns_and_says_whose():
    with pytest.warns(OptimizeWarning, match=r"Unknown solver options: lam \(an option of cgd, cgd-fd"):
        call(method="gd", lam=0.3, maxiter=2)


def test_unknown_options_through_scipy_warn_at_the_user():
    with pytest.warns(OptimizeWarning, match="xtol"):
        scipy.optimize.minimize(f, np.ones(2), method=cgdopt.gd, jac=g, options=dict(xtol=1, maxiter=1))


def test_valid_call_emits_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call(lam=0.1, r=1e-3, fd="central", maxiter=3, disp=False, line_search="wolfe")


def test_tol_sets_gtol_unless_given_and_is_checked():
    assert validate_options("gd", {}, tol=1e-3)["gtol"] == 1e-3
    assert validate_options("gd", {"gtol": 1e-2}, tol=1e-3)["gtol"] == 1e-2
    assert validate_options("gd", {"tol": 1e-4})["gtol"] == 1e-4  # scipy's custom-method path
    with pytest.raises(TypeError, match="tol must be"):
        cgdopt.minimize(f, np.ones(2), jac=g, tol="1e-3")
    with pytest.raises(ValueError, match="tol must be"):
        cgdopt.minimize(f, np.ones(2), jac=g, tol=-1.0)


def test_defaults_table():
    d = validate_options("cgd-fd", {})
    assert (d["line_search"], d["step"], d["maxiter"], d["lam"], d["safeguard"]) == \
        ("armijo", 1.0, 20000, 0.1, "switch")
    assert d["switch_after"] == 5000  # Algorithm 2: b = T/4 with T = the default maxiter
    assert validate_options("cgd-fd", dict(maxiter=8))["switch_after"] == 5000  # not maxiter/4
    assert validate_options("cgd-fd", dict(budget=40))["switch_after"] == 10  # the paper's T/4
    assert validate_options("cgd", dict(switch_after=None))["switch_after"] is None
    assert validate_options("newton", {})["switch_after"] is None
    assert validate_options("gd", dict(line_search="fixed"))["step"] == 0.01
    assert validate_options("newton", dict(line_search="fixed"))["step"] == 1.0
    assert set(DEFAULTS["gd"]) < set(DEFAULTS["cgd"]) < set(DEFAULTS["cgd-fd"])


from fractions import Fraction  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**400, max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5), st.binary(max_size=3),
    st.complex_numbers(), st.lists(st.floats(), max_size=2), st.dictionaries(st.text(), st.integers(), max_size=1),
    st.sampled_from([np.int64(3), np.float32(0.5), np.float64(np.nan), np.bool_(True), np.array(0.5),
                     np.array([1.0, 2.0]), Fraction(1, 3), "auto", "armijo", "forward", "pow", "switch",
                     "2-point", object()]))


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(sorted(OPTIONS)), value=ANY_VALUE)
def test_any_value_of_any_option_is_accepted_or_refused_by_name(name, value):
    """Property: validation never fails with anything but a message naming the option."""
    try:
        opts = validate_options(method_of(name), {name: value})
    except (TypeError, ValueError) as exc:
        assert str(exc).startswith((f"{name} must be", "c1 and c2 must satisfy", "p must be")), exc
    else:
        assert name in opts or name == "jac_method"
