"""Name -> class registry of the test functions."""
from __future__ import annotations

import difflib
import inspect
from typing import TYPE_CHECKING, Any, Optional, TypeVar

if TYPE_CHECKING:
    from ._base import TestFunction

_C = TypeVar("_C", bound=type)

__all__ = ["register", "register_alias", "aliases", "names", "get", "get_class"]

_REGISTRY: dict[str, type[TestFunction]] = {}
_ALIASES: dict[str, str] = {}


def register(cls: _C) -> _C:
    """Class decorator: add ``cls`` to the registry under ``cls.name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in _REGISTRY:
        raise ValueError(f"duplicate test function name {cls.name!r}")
    doc = cls.__dict__.get("__doc__") or ""
    if "References\n" not in doc and cls.reference:
        # numpydoc References section from the metadata (single source)
        cls.__doc__ = doc.rstrip() + f"\n\n    References\n    ----------\n    {cls.reference}\n"
    _REGISTRY[cls.name] = cls
    return cls


def register_alias(alias: str, name: str) -> None:
    """Make ``get(alias)`` return the function registered as ``name``.

    Aliases are other common names of the same function; :func:`names` does
    not list them (see :func:`aliases`).
    """
    if name not in _REGISTRY:
        raise ValueError(f"alias {alias!r}: no test function named {name!r}")
    if alias in _REGISTRY or alias in _ALIASES:
        raise ValueError(f"alias {alias!r} is already a name or an alias")
    _ALIASES[alias] = name


def aliases() -> dict[str, str]:
    """``{alias: name}`` for every alias, sorted by alias."""
    return dict(sorted(_ALIASES.items()))


def names(tag: Optional[str] = None) -> list[str]:
    """Sorted registry names, optionally only those carrying ``tag``.

    Parameters
    ----------
    tag : str, optional
        E.g. ``"mgh"``, ``"sfu"``, ``"paper"``, ``"multimodal"``, ``"convex"``.

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        For a ``tag`` that no function carries (a misspelled tag would otherwise give an
        empty list), naming the close matches among the tags in use.
    """
    if tag is not None:
        if not isinstance(tag, str):
            raise ValueError(f"tag must be a string or None, got {tag!r}")
        used = sorted({t for c in _REGISTRY.values() for t in c.tags})
        if tag not in used:
            close = difflib.get_close_matches(tag, used, n=3, cutoff=0.5)
            raise ValueError(f"unknown tag {tag!r}" + (f"; did you mean {close}?" if close else "")
                             + f" (tags in use: {', '.join(used)})")
    return sorted(k for k, c in _REGISTRY.items() if tag is None or tag in c.tags)


def get_class(name: str) -> type[TestFunction]:
    """The class registered as ``name``; ``ValueError`` lists close matches."""
    if not isinstance(name, str):
        raise ValueError(f"name must be a string, got {name!r}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_").replace(".", "_")
    key = _ALIASES.get(key, key)
    try:
        return _REGISTRY[key]
    except KeyError:
        close = difflib.get_close_matches(key, list(_REGISTRY) + list(_ALIASES), n=5,
                                          cutoff=0.5)
        hint = (f"; did you mean {', '.join(repr(c) for c in close)}?" if close
                else "; see cgdopt.testfunctions.names()")
        raise ValueError(f"unknown test function name {name!r}{hint}") from None


def get(name: str, **kwargs: Any) -> TestFunction:
    """Instantiate the test function registered as ``name``.

    Parameters
    ----------
    name : str
        A name from :func:`names` (case, ``-`` and spaces are normalised).
    **kwargs
        Constructor arguments, e.g. ``n=10``, ``m=20``, ``seed=1``.

    Returns
    -------
    TestFunction

    Raises
    ------
    ValueError
        Unknown name (the message lists close matches) or bad arguments.
    TypeError
        A keyword the function does not take (the message lists those it takes).
    """
    cls = get_class(name)
    params = inspect.signature(cls).parameters
    accepted = [p for p in params]
    unknown = [k for k in kwargs if k not in accepted]
    if unknown and not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        raise TypeError(f"{getattr(cls, 'name', name)}: unexpected keyword "
                        f"argument(s) {unknown} (accepted: {accepted or 'none'})")
    return cls(**kwargs)
