"""Synthetic test functions: exact definitions, metadata, batched values, derivatives.

Quick start
-----------
>>> from cgdopt import testfunctions as tf
>>> f = tf.get("levy", n=2)           # or tf.Levy(n=2)
>>> f(f.x_opt[0])                     # x of shape (n,) -> float
0.0
>>> f(f.x_opt).shape                  # x of shape (..., n) -> (...)
(1,)

Every function provides ``__call__``, ``grad``, ``hess``, ``hessp`` and the
metadata ``n``, ``bounds`` (usual domain, shape ``(n, 2)``), ``x_opt`` (all
known global minimizers, shape ``(k, n)``), ``f_opt``, ``x0``, ``tags``,
``formula`` and ``reference``.  Sources: Appendix B of the CGD paper
(:mod:`.paper`), the SFU Virtual Library of Simulation Experiments
(:mod:`.sfu_multimodal`, :mod:`.sfu_kinked`, :mod:`.sfu_dropwave_schaffer`,
:mod:`.sfu_steep`, :mod:`.sfu_bowl`, :mod:`.sfu_plate`, :mod:`.sfu_valley`,
:mod:`.sfu_hartmann`, :mod:`.sfu_other`) and Moré,
Garbow & Hillstrom (1981) (:mod:`.mgh_fixed`, :mod:`.mgh_exponential_fits`,
:mod:`.mgh_gaussian_fits`, :mod:`.mgh_rational_fits`, :mod:`.mgh_rosenbrock_powell`,
:mod:`.mgh_polynomial_fits`, :mod:`.mgh_linear`, :mod:`.mgh_nonlinear_equations`,
:mod:`.mgh_variable`).  See ``docs/testfunctions.md``.
"""
from ._base import TestFunction
from ._least_squares import LeastSquaresFunction
from ._blocks import get_num_threads, set_num_threads
from ._grid import grid
from ._registry import aliases, get, get_class, names, register, register_alias
from .barrett_dherin import TwoParam
from .jamil_yang import Himmelblau, Qing, Schwefel12, Trefethen4, Weierstrass
from .jamil_yang_kinked import Alpine1, Salomon, Schwefel221, Schwefel222
from .mgh_exponential_fits import BiggsExp6, Box3D, BrownDennis, Meyer, Osborne1
from .mgh_fixed import (Beale, BrownBadlyScaled, FreudensteinRoth, HelicalValley,
                        JennrichSampson, PowellBadlyScaled)
from .mgh_gaussian_fits import Gaussian, GulfResearch, Osborne2
from .mgh_linear import BrownAlmostLinear, LinearFullRank, LinearRank1, LinearRank1Zero
from .mgh_nonlinear_equations import (BroydenBanded, BroydenTridiagonal, DiscreteBoundaryValue,
                                      DiscreteIntegralEquation)
from .mgh_polynomial_fits import Chebyquad, Watson
from .mgh_rational_fits import Bard, KowalikOsborne
from .mgh_rosenbrock_powell import ExtendedPowell, ExtendedRosenbrock, PowellSingular, Wood
from .mgh_variable import Penalty1, Penalty2, Trigonometric, VariablyDimensioned
from .more_wild import Bdqrtic, Cube, Heart8, Mancino
from .paper import Branin, Griewank, Levy, Matyas, Quadratic, RotatedHyperEllipsoid
from .sfu_bowl import (Bohachevsky1, Bohachevsky2, Bohachevsky3, Perm0, SphereFunction,
                       SumOfDifferentPowers, SumSquares, Trid)
from .sfu_dropwave_schaffer import DropWave, SchafferN2, SchafferN4
from .sfu_hartmann import Hartmann3, Hartmann4, Hartmann6
from .sfu_kinked import BukinN6, CrossInTray, Eggholder, HolderTable
from .sfu_multimodal import (Ackley, GramacyLee, Langermann, LevyN13, Rastrigin, Schwefel,
                             Shubert)
from .sfu_other import Forrester, GoldsteinPrice, PermDBeta, Shekel, StyblinskiTang
from .sfu_plate import Booth, McCormick, PowerSum, Zakharov
from .sfu_steep import DeJong5, Easom, Michalewicz
from .sfu_valley import DixonPrice, Rosenbrock, SixHumpCamel, ThreeHumpCamel

from . import _aliases  # noqa: E402,F401  (registers the aliases)

__all__ = [
    "TestFunction", "LeastSquaresFunction", "names", "get", "get_class", "register", "grid",
    "aliases", "register_alias",
    "set_num_threads", "get_num_threads",
    # paper (CGD Appendix B)
    "Quadratic", "RotatedHyperEllipsoid", "Matyas", "Branin", "Levy", "Griewank",
    # SFU
    "Ackley", "BukinN6", "CrossInTray", "DropWave", "Easom", "Eggholder", "HolderTable",
    "LevyN13", "Michalewicz", "Rastrigin", "SchafferN2", "SchafferN4", "Schwefel",
    "Bohachevsky1", "Booth", "DixonPrice", "McCormick", "Perm0", "Rosenbrock", "SixHumpCamel",
    "SphereFunction", "SumOfDifferentPowers", "SumSquares", "ThreeHumpCamel", "Trid", "Zakharov",
    "GramacyLee", "Langermann", "Shubert", "Bohachevsky2", "Bohachevsky3", "PermDBeta",
    "PowerSum", "DeJong5", "Hartmann4",
    "Forrester", "GoldsteinPrice", "Hartmann3", "Hartmann6", "Shekel", "StyblinskiTang",
    # Barrett & Dherin (2021)
    "TwoParam",
    # Jamil & Yang (2013) and others
    "Himmelblau", "Schwefel12", "Schwefel221", "Schwefel222", "Salomon", "Alpine1", "Qing",
    "Trefethen4", "Weierstrass",
    # MGH
    "FreudensteinRoth", "PowellBadlyScaled", "BrownBadlyScaled", "Beale", "JennrichSampson",
    "HelicalValley", "Bard", "Gaussian", "Meyer", "GulfResearch", "Box3D", "PowellSingular",
    "Wood", "KowalikOsborne", "BrownDennis", "Osborne1", "BiggsExp6", "Osborne2", "Watson",
    "ExtendedRosenbrock", "ExtendedPowell", "Penalty1", "Penalty2", "VariablyDimensioned",
    "Trigonometric", "BrownAlmostLinear", "DiscreteBoundaryValue", "DiscreteIntegralEquation",
    "BroydenTridiagonal", "BroydenBanded", "LinearFullRank", "LinearRank1", "LinearRank1Zero",
    "Chebyquad",
    # More & Wild (2009)
    "Bdqrtic", "Cube", "Mancino", "Heart8",
]
