"""The list ops agree with the core's ARRAY_OPS and with each other."""
import pytest

torch = pytest.importorskip("torch")

from cgdopt import directions as D  # noqa: E402
from cgdopt.nn._foreach_ops import FOREACH_OPS, LOOP_OPS, buckets, chunks  # noqa: E402

OPS = [FOREACH_OPS, LOOP_OPS]


def vectors(seed=0, mixed=False):
    g = torch.Generator().manual_seed(seed)
    shapes = [(3, 4), (5,), (2, 2, 2), ()]
    dtypes = [torch.float64, torch.float32, torch.float64, torch.float32] if mixed else [torch.float64] * 4
    x = [torch.randn(s, generator=g, dtype=torch.float64).to(dt) for s, dt in zip(shapes, dtypes)]
    y = [torch.randn(s, generator=g, dtype=torch.float64).to(dt) for s, dt in zip(shapes, dtypes)]
    x[1][2] = 0.0  # an exact zero component
    return x, y


def flat(ts):
    return torch.cat([t.reshape(-1).double() for t in ts])


@pytest.mark.parametrize("ops", OPS, ids=["foreach", "loop"])
@pytest.mark.parametrize("mixed", [False, True])
def test_primitives_match_array_ops(ops, mixed):
    x, y = vectors(mixed=mixed)
    fx, fy = flat(x), flat(y)
    tol = dict(rtol=1e-6, atol=1e-6) if mixed else dict(rtol=1e-14, atol=1e-14)
    torch.testing.assert_close(flat(ops.axpby(0.3, x, -1.7, y)), D.ARRAY_OPS.axpby(0.3, fx, -1.7, fy), **tol)
    for q in [0.0, 1.0, 2.0, 0.5]:
        torch.testing.assert_close(flat(ops.signed_power(x, q)), D.ARRAY_OPS.signed_power(fx, q), **tol)
    d = ops.dot(x, y)
    assert isinstance(d, torch.Tensor) and d.dim() == 0  # stays on the device
    assert float(d) == pytest.approx(D.ARRAY_OPS.dot(fx, fy), rel=1e-6 if mixed else 1e-13)
    for p in [1.0, 2.0, 3.0]:
        assert ops.sum_abs_pow(x, p) == pytest.approx(D.ARRAY_OPS.sum_abs_pow(fx, p), rel=1e-6 if mixed else 1e-12)
    assert float(ops.norm(x)) == pytest.approx(float(fx.norm()), rel=1e-6 if mixed else 1e-12)


def test_rules_run_on_lists_like_on_arrays():
    x, y = vectors()
    fx, fy = flat(x), flat(y)
    for penalty in D.PENALTIES:
        for p in [1.0, 2.0, 3.0]:
            for ops in OPS:
                c = D.penalty_coefficient(x, penalty, p, ops)
                assert c == pytest.approx(D.penalty_coefficient(fx, penalty, p), rel=1e-12)
                u = D.penalty_vector(x, p, ops)
                torch.testing.assert_close(flat(u), D.penalty_vector(fx, p))
    for fd in D.FD_SCHEMES:
        probes = [y, x] if fd == "central" else [y]
        ref = D.fd_regularized_gradient(fx, [flat(q) for q in probes], 0.7, fd)
        for ops in OPS:
            torch.testing.assert_close(flat(D.fd_regularized_gradient(x, probes, 0.7, fd, ops)), ref)
    for ops in OPS:
        ok = D.is_descent(x, y, ops)
        assert bool(ok) == D.is_descent(fx, fy)


def test_foreach_and_loop_are_bitwise_equal():
    x, y = vectors(mixed=True)
    a, b = FOREACH_OPS, LOOP_OPS
    for r1, r2 in [(a.axpby(0.3, x, -1.7, y), b.axpby(0.3, x, -1.7, y)),
                   (a.signed_power(x, 2.0), b.signed_power(x, 2.0)),
                   (a.mul(x, 0.25), b.mul(x, 0.25))]:
        for t1, t2 in zip(r1, r2):
            assert torch.equal(t1, t2) and t1.dtype == t2.dtype
    assert torch.equal(a.dot(x, y), b.dot(x, y))


def test_in_place_helpers():
    for ops in OPS:
        x, y = vectors(mixed=True)
        x0 = [t.clone() for t in x]
        ops.add_(x, y, alpha=2.0)
        for t, t0, s in zip(x, x0, y):
            torch.testing.assert_close(t, t0 + 2.0 * s)
        ops.copy_(x, x0)
        assert all(torch.equal(t, t0) for t, t0 in zip(x, x0))
        sel = ops.select(torch.tensor(False), x, y)
        assert all(torch.equal(t, s) for t, s in zip(sel, y))
        assert ops.select(torch.tensor(True), x, y) is x and ops.select(False, x, y) is y
        # a CPU condition is read on the host: neither list is written
        x0, y0 = [t.clone() for t in x], [t.clone() for t in y]
        assert ops.select(torch.tensor(False), x, y) is y
        assert all(torch.equal(t, t0) for t, t0 in zip(x + y, x0 + y0))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA: the on-device select")
def test_select_on_cuda_writes_the_choice_into_x():
    for ops in OPS:
        x = [torch.ones(3, device="cuda"), torch.ones(2, device="cuda")]
        y = [torch.zeros(3, device="cuda"), torch.zeros(2, device="cuda")]
        sel = ops.select(torch.tensor(False, device="cuda"), x, y)
        assert sel is x and all(torch.equal(t, s) for t, s in zip(x, y))


def test_buckets_group_by_device_and_dtype():
    x, _ = vectors(mixed=True)
    assert sorted(map(sorted, buckets(x))) == [[0, 2], [1, 3]]
    assert buckets([]) == []


def test_chunks_keep_order_and_stay_within_the_cap():
    ts = [torch.zeros(n) for n in (4, 4, 9, 1, 1, 30, 2)]  # float32: 4 bytes each
    out = list(chunks(ts, cap=32))
    assert [t for c in out for t in c] == ts  # every tensor once, in order (identity)
    assert [[t.numel() for t in c] for c in out] == [[4, 4], [9], [1, 1], [30], [2]]
    for c in out:  # a run over the cap is a single tensor larger than the cap
        assert sum(4 * t.numel() for t in c) <= 32 or len(c) == 1
    assert list(chunks([], cap=32)) == []
    assert [len(c) for c in chunks(ts, cap=10**9)] == [7]
