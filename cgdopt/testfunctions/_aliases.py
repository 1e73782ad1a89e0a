"""Other common names of the registered functions, resolved by :func:`get`.

Each alias names the *same* function (formula and constants); where a source
uses another usual domain or starting point under that name, the registered
function's metadata still applies (e.g. SFU's Colville page uses
``[-10, 10]^4``, Wood's MGH metadata a box around MGH's ``x0``).
"""
from __future__ import annotations

from ._registry import register_alias

ALIASES = {
    # SFU / literature name -> registry name
    "colville": "wood",                      # SFU "Colville" = MGH 14 Wood, expanded
    "powell": "extended_powell",             # SFU "Powell", n divisible by 4
    "powell_singular_extended": "extended_powell",
    "de_jong1": "sphere",                    # De Jong F1
    "de_jong_f1": "sphere",
    "de_jong_1": "sphere",
    "banana": "rosenbrock",
    "branin_hoo": "branin",
    "camel3": "three_hump_camel",
    "camel6": "six_hump_camel",
    "six_hump_camel_back": "six_hump_camel",
    "axis_parallel_hyper_ellipsoid": "sum_squares",  # SFU lists both names
    "schwefel_2_26": "schwefel",             # Jamil & Yang f128
    "double_sum": "schwefel_1_2",
    "schwefel_double_sum": "schwefel_1_2",
    "shekel_foxholes": "de_jong5",
    "de_jong_f5": "de_jong5",
    "de_jong_5": "de_jong5",
    "bukin6": "bukin_n6",
    "levy13": "levy_n13",
    "schaffer2": "schaffer_n2",
    "schaffer4": "schaffer_n4",
    "egg_holder": "eggholder",
    "heart8ls": "heart8",
    "alpine": "alpine1",
    "perm": "perm_d_beta",
    "styblinski": "styblinski_tang",
}

for _alias, _name in ALIASES.items():
    register_alias(_alias, _name)
