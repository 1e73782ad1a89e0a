"""SFU Hartmann functions: Hartmann 3-D, 4-D and 6-D.

Sources, refined minimizers, and how the library found the minimizer of
Hartmann 4-D, for which SFU gives none: ``cgdopt.testfunctions._references``.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from ._base import TestFunction
from ._references import NUMERIC, SFU
from ._registry import register


class _Hartmann(TestFunction):
    alpha = np.array([1.0, 1.2, 3.0, 3.2])
    domain = (0.0, 1.0)
    x_opt_approximate = True
    tags = ("sfu", "multimodal")
    shift, scale = 0.0, 1.0  # f = (shift - sum_k alpha_k E_k) / scale (Hartmann 4-D: 1.1, 0.839)

    # S_k = sum_j A_kj (x_j - P_kj)^2 expanded as (x*x) A^T - 2 x (A*P)^T + sum_j A_kj P_kj^2:
    # two small matrix products instead of a (points, 4, n) temporary (10-20x faster; the
    # expansion costs at most ~1e-14 absolute in S_k, x and P being in [0, 1]).
    def _consts(self):
        return self.A, self.A * self.P, (self.A * self.P * self.P).sum(axis=-1)

    def _S(self, x):
        A, AP, c0 = self._consts()
        return anp.dot(x * x, A.T) - 2.0 * anp.dot(x, AP.T) + c0

    def _f(self, x):
        return (self.shift - anp.dot(anp.exp(-self._S(x)), self.alpha)) / self.scale

    # grad f = 2 sum_k w_k A_k * (x - P_k) = 2 (x * (w A) - w (A*P)), w_k = alpha_k E_k / scale;
    # H v = sum_k w_k (2 A_k * v - 4 (A_k * d_k)(A_k * d_k . v)), (A_k * d_k) . v = c_k below.
    def _w(self, x):
        return self.alpha * np.exp(-self._S(x)) / self.scale

    def _grad(self, x):
        A, AP, _ = self._consts()
        w = self._w(x)
        return 2.0 * (x * (w @ A) - w @ AP)

    def _hessp(self, x, v):
        A, AP, _ = self._consts()
        w = self._w(x)
        wc = w * ((x * v) @ A.T - v @ AP.T)
        return 2.0 * v * (w @ A) - 4.0 * (x * (wc @ A) - wc @ AP)

    def _x_opt(self):
        return [self._x]

    def _f_opt(self):
        return self._f(np.array(self._x))


@register
class Hartmann3(_Hartmann):
    r"""Hartmann 3-D function.

    .. math:: f(x) = -\sum_{i=1}^4 \alpha_i \exp\left(-\sum_{j=1}^3 A_{ij}(x_j - P_{ij})^2\right)

    with SFU's ``alpha, A, P``.  Domain ``[0, 1]^3``; ``f* = -3.86278`` at
    ``(0.114614, 0.555649, 0.852547)`` (SFU; the refined minimizer has
    ``x1 = 0.114589``).
    """

    name = "hartmann3"
    title = "Hartmann 3-D"
    dim = 3
    formula = "-sum_{i=1}^4 alpha_i exp(-sum_j A_ij (x_j - P_ij)^2)"
    reference = SFU + "Hartmann 3-D Function"
    f_opt_published = "-3.86278"
    A = np.array([[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]])
    P = 1e-4 * np.array([[3689.0, 1170, 2673], [4699, 4387, 7470],
                         [1091, 8732, 5547], [381, 5743, 8828]])
    _x = (0.11458887665506896, 0.5556488946169301, 0.8525469846866774)


@register
class Hartmann6(_Hartmann):
    r"""Hartmann 6-D function.

    .. math:: f(x) = -\sum_{i=1}^4 \alpha_i \exp\left(-\sum_{j=1}^6 A_{ij}(x_j - P_{ij})^2\right)

    with SFU's ``alpha, A, P``.  Domain ``[0, 1]^6``; ``f* = -3.32237`` at
    ``(0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)`` (SFU).
    """

    name = "hartmann6"
    title = "Hartmann 6-D"
    dim = 6
    formula = "-sum_{i=1}^4 alpha_i exp(-sum_j A_ij (x_j - P_ij)^2)"
    reference = SFU + "Hartmann 6-D Function"
    f_opt_published = "-3.32237"
    A = np.array([[10.0, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
                  [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
    P = 1e-4 * np.array([[1312.0, 1696, 5569, 124, 8283, 5886],
                         [2329, 4135, 8307, 3736, 1004, 9991],
                         [2348, 1451, 3522, 2883, 3047, 6650],
                         [4047, 8828, 8732, 5743, 1091, 381]])
    _x = (0.20168951100670543, 0.15001069182345797, 0.47687397422189703,
          0.2753324304940561, 0.31165161660011326, 0.6573005340656204)


@register
class Hartmann4(_Hartmann):
    r"""Hartmann 4-D function (SFU's rescaled form).

    .. math:: f(x) = \frac{1}{0.839}\Big(1.1 - \sum_{i=1}^4 \alpha_i
              \exp\Big(-\sum_{j=1}^4 A_{ij}(x_j - P_{ij})^2\Big)\Big)

    with the first four columns of Hartmann 6-D's ``A`` and ``P``.  Domain
    ``[0, 1]^4``; global minimum ``f* = -3.134494`` at ``(0.187395, 0.194152, 0.557918,
    0.264780)`` found numerically (SFU gives none).
    """

    name = "hartmann4"
    title = "Hartmann 4-D"
    dim = 4
    formula = "(1.1 - sum_i alpha_i exp(-sum_{j<=4} A_ij (x_j - P_ij)^2)) / 0.839"
    reference = SFU + "Hartmann 4-D Function"
    x_opt_note = NUMERIC
    shift, scale = 1.1, 0.839
    A = np.ascontiguousarray(Hartmann6.A[:, :4])  # contiguous: numpy's matmul is
    P = np.ascontiguousarray(Hartmann6.P[:, :4])  # super-linearly slow on strided views
    _x = [0.187395272973, 0.194151529302, 0.557917780063, 0.26477962417]
