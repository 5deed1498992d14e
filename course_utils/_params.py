"""Parameter constraints, declared once per public function, in scikit-learn's style.

A public function states what each option may be, next to its signature::

    @validate_params({"n_bins": [Interval(Integral, 1, 1000, closed="both")],
                      "strategy": [StrOptions(("uniform", "quantile"))]})
    def f(y_true, y_prob, *, n_bins=5, strategy="uniform"): ...

and every bad value raises the one exception family, :class:`InvalidParameterError` (a
subclass of both ``ValueError`` and ``TypeError``, as scikit-learn's is), with a message that
names the argument and says what to pass instead. The same constraint objects serve the
imperative checks in :mod:`course_utils._validation` (``check_int``, ``check_float``,
``check_choice``, ``check_bool``, ``check_seed``), so a rule has one wording wherever an
input arrives. ``tests/test_params.py`` generates its tests from the declared constraints
(``func.__param_constraints__``).

The rules
---------
- Integers are real ints: ``True`` is not 1, ``10.0`` and ``"10"`` are not 10.
- Floats are finite (NaN and infinity are refused) and inside the stated interval;
  ints are accepted where a float is asked for, bools are not.
- A bool is ``True`` or ``False`` (NumPy's bool included).
- A choice is one of the listed strings (or ``None`` where listed): one signature,
  one message.
- A seed is an int in ``[0, 2**32)``, the range NumPy's and torch's generators share.
"""

from __future__ import annotations

import functools
import inspect
import math
import warnings
from numbers import Integral, Real

import numpy as np

__all__ = [
    "Boolean",
    "Interval",
    "InvalidParameterError",
    "Options",
    "Seed",
    "StrOptions",
    "check_param",
    "check_params",
    "rename_keyword",
    "renamed_parameter",
    "validate_params",
]


class InvalidParameterError(ValueError, TypeError):
    """A parameter of the wrong type or out of range.

    A subclass of both ``ValueError`` and ``TypeError`` (as scikit-learn's
    ``InvalidParameterError`` is), so ``except ValueError`` and ``except TypeError`` both
    catch it.

    >>> issubclass(InvalidParameterError, ValueError), issubclass(InvalidParameterError, TypeError)
    (True, True)
    """


# ------------------------------------------------------------------------- constraints


class _Constraint:
    """A rule a value may satisfy; ``str()`` is how a message describes it."""

    #: How the message names the kind of value when the type itself is wrong.
    kind: str = ""

    def type_ok(self, value) -> bool:
        return self.is_satisfied_by(value)

    def is_satisfied_by(self, value) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def invalid_values(self) -> list:
        """Values of the right type that break the rule (for generated tests)."""
        return []


def _is_int(value) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool | np.bool_)


def _is_real(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool | np.bool_)


def _show(bound) -> str:
    if bound == 2**32:
        return "2**32"
    if isinstance(bound, int) and abs(bound) >= 100_000:
        return f"{bound:_}"
    return repr(bound) if isinstance(bound, float) else str(bound)


class _Numeric(_Constraint):
    """A number of ``type`` (``numbers.Integral`` or ``numbers.Real``): the one type rule."""

    def _set_type(self, type) -> None:
        self.type = type
        self.kind = "an int" if type is Integral else "a float"

    def type_ok(self, value) -> bool:
        return _is_int(value) if self.type is Integral else _is_real(value)


class Interval(_Numeric):
    """A number of ``type`` (``Integral`` or ``Real``) between ``left`` and ``right``.

    ``None`` leaves a side open-ended; ``closed`` is ``"both"``, ``"left"``, ``"right"`` or
    ``"neither"``. A ``Real`` interval never holds NaN or infinity (the one finite rule).

    >>> str(Interval(Integral, 1, None, closed="left")), str(Interval(Real, 0, 1, closed="neither"))
    ('an int >= 1', 'a float in (0, 1)')
    """

    def __init__(self, type, left, right, *, closed="both"):
        if type not in (Integral, Real):
            raise ValueError("Interval's type must be numbers.Integral or numbers.Real.")
        if closed not in ("both", "left", "right", "neither"):
            raise ValueError(f"Interval's closed must be both/left/right/neither, not {closed!r}.")
        self._set_type(type)
        self.left, self.right, self.closed = left, right, closed

    def is_satisfied_by(self, value) -> bool:
        if not self.type_ok(value):
            return False
        if self.type is Real and not math.isfinite(float(value)):
            return False
        left_in = self.closed in ("both", "left")
        right_in = self.closed in ("both", "right")
        if self.left is not None and (value < self.left or (value == self.left and not left_in)):
            return False
        if self.right is not None:
            if value > self.right or (value == self.right and not right_in):
                return False
        return True

    def __str__(self) -> str:
        left_in = self.closed in ("both", "left")
        right_in = self.closed in ("both", "right")
        if self.left is None and self.right is None:
            return "a finite float" if self.type is Real else "an int"
        if self.right is None:
            return f"{self.kind} {'>=' if left_in else '>'} {_show(self.left)}"
        if self.left is None:
            return f"{self.kind} {'<=' if right_in else '<'} {_show(self.right)}"
        return (
            f"{self.kind} in {'[' if left_in else '('}{_show(self.left)}, "
            f"{_show(self.right)}{']' if right_in else ')'}"
        )

    def invalid_values(self) -> list:
        out = []
        step = 1 if self.type is Integral else 0.5
        left_in = self.closed in ("both", "left")
        right_in = self.closed in ("both", "right")
        if self.left is not None:
            out.append(self.left - step if left_in else self.left)
        if self.right is not None:
            out.append(self.right + step if right_in else self.right)
        if self.type is Real:
            out.append(float("nan"))
        return out


class Seed(Interval):
    """A seed: an int in ``[0, 2**32)``, the one rule for every ``seed=`` in the package."""

    def __init__(self):
        super().__init__(Integral, 0, 2**32, closed="left")


class StrOptions(_Constraint):
    """One of the given strings (in the order the message lists them)."""

    kind = "a string"

    def __init__(self, options):
        self.options = tuple(options)

    def type_ok(self, value) -> bool:
        return isinstance(value, str)

    def is_satisfied_by(self, value) -> bool:
        return isinstance(value, str) and value in self.options

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)

    def invalid_values(self) -> list:
        return ["not-an-option"]


class Options(_Numeric):
    """One of a few numbers of ``type`` (NaN allowed and matched as NaN), e.g. 0, 1, nan."""

    def __init__(self, type, options, *, shown=None):
        self._set_type(type)
        self.options = tuple(options)
        self.shown = shown or ", ".join(repr(o) for o in self.options)

    def is_satisfied_by(self, value) -> bool:
        if not self.type_ok(value):
            return False
        for option in self.options:
            if isinstance(option, float) and math.isnan(option):
                if math.isnan(float(value)):
                    return True
            elif value == option:
                return True
        return False

    def __str__(self) -> str:
        return self.shown

    def invalid_values(self) -> list:
        return [7]


class Boolean(_Constraint):
    """``True`` or ``False`` (NumPy's bool included): the one bool rule."""

    kind = "a bool (True or False)"

    def is_satisfied_by(self, value) -> bool:
        return isinstance(value, bool | np.bool_)

    def __str__(self) -> str:
        return self.kind


class _NoneConstraint(_Constraint):
    kind = "None"

    def is_satisfied_by(self, value) -> bool:
        return value is None

    def __str__(self) -> str:
        return "None"


def _as_constraint(c) -> _Constraint:
    if c is None:
        return _NoneConstraint()
    if isinstance(c, _Constraint):
        return c
    raise TypeError(f"Unknown parameter constraint {c!r}.")


def _join(parts: list[str]) -> str:
    parts = list(dict.fromkeys(parts))
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


# ------------------------------------------------------------------------------ checks


def check_param(name: str, value, constraints, *, hint: str = ""):
    """Return ``value`` if it satisfies one of ``constraints``, else raise
    :class:`InvalidParameterError` naming ``name`` and what to pass.

    >>> check_param("n_bins", 10, [Interval(Integral, 1, None, closed="left")])
    10
    >>> check_param("n_bins", "10", [Interval(Integral, 1, None, closed="left")])
    Traceback (most recent call last):
        ...
    course_utils._params.InvalidParameterError: Expected `n_bins` to be an int, but got str '10'. Pass an int >= 1.
    """
    constraints = [_as_constraint(c) for c in constraints]
    if any(c.is_satisfied_by(value) for c in constraints):
        return value
    full = _join([str(c) for c in constraints])
    fix = f" {hint}" if hint else ""
    if not any(c.type_ok(value) for c in constraints):
        kinds = _join(
            [c.kind if isinstance(c, Interval | Options) else str(c) for c in constraints]
        )
        more = f" Pass {full}." if kinds != full else ""
        raise InvalidParameterError(
            f"Expected `{name}` to be {kinds}, but got {type(value).__name__} {value!r}.{more}{fix}"
        )
    raise InvalidParameterError(f"Expected `{name}` to be {full}, but got {value!r}.{fix}")


def validate_params(constraints: dict, *, hints: dict | None = None):
    """Decorator: check the named parameters of each call against ``constraints``.

    ``constraints`` maps a parameter name to a list of constraints (``Interval``,
    ``StrOptions``, ``Options``, ``Boolean``, ``Seed`` or ``None`` for "may be None"); a
    value must satisfy one. ``hints`` maps a name to extra advice for its message. Only the
    arguments a call passes are checked (the defaults are valid by construction). The
    constraints stay on the function as ``__param_constraints__``.
    """
    hints = hints or {}

    def decorate(func):
        signature = inspect.signature(func)
        unknown = set(constraints) - set(signature.parameters)
        if unknown:
            raise TypeError(f"{func.__qualname__} has no parameter(s) {sorted(unknown)}.")
        lists = {name: [_as_constraint(c) for c in cs] for name, cs in constraints.items()}

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                given = signature.bind(*args, **kwargs).arguments
            except TypeError:
                return func(*args, **kwargs)  # let Python word the call error
            for name, value in given.items():
                if name in lists:
                    check_param(name, value, lists[name], hint=hints.get(name, ""))
            return func(*args, **kwargs)

        wrapper.__param_constraints__ = lists
        wrapper.__param_hints__ = dict(hints)
        return wrapper

    return decorate


def check_params(func, values: dict) -> None:
    """Check ``values`` (name -> value) against the constraints ``func`` declares with
    :func:`validate_params` (or a ``{name: constraints}`` dict): how a stream checks the
    options it is made with, by the rules of the function it streams."""
    constraints = getattr(func, "__param_constraints__", None)
    if constraints is None:
        constraints = func if isinstance(func, dict) else {}
    hints = getattr(func, "__param_hints__", {})
    for name, value in values.items():
        if name in constraints:
            check_param(name, value, constraints[name], hint=hints.get(name, ""))


#: Shared constraints (one wording for one idea).
POSITIVE_INT = Interval(Integral, 1, None, closed="left")
NON_NEGATIVE_INT = Interval(Integral, 0, None, closed="left")
CONFIDENCE = Interval(Real, 0, 1, closed="neither")
CONFIDENCE_HINT = "Use 0.95 for a 95% interval."


def rename_keyword(kwargs: dict, old: str, new: str, *, version: str = "0.3", stacklevel=3):
    """``kwargs`` with a deprecated keyword ``old`` renamed to ``new`` (and a
    ``FutureWarning``); unchanged when ``old`` is absent."""
    if old not in kwargs:
        return kwargs
    if new in kwargs:
        raise InvalidParameterError(
            f"Got both `{old}` and `{new}`; pass only `{new}=` (`{old}` is its deprecated name)."
        )
    warnings.warn(
        f"`{old}=` is deprecated and will be removed in course_utils {version}; "
        f"pass `{new}=` instead.",
        FutureWarning,
        stacklevel=stacklevel,
    )
    kwargs = dict(kwargs)
    kwargs[new] = kwargs.pop(old)
    return kwargs


def renamed_parameter(old: str, new: str, *, version: str = "0.3"):
    """Decorator: accept the keyword ``old`` as a deprecated alias of ``new``, with a
    ``FutureWarning`` that names the new spelling (it goes in version ``version``)."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            kwargs = rename_keyword(kwargs, old, new, version=version)
            return func(*args, **kwargs)

        wrapper.__renamed_parameters__ = {
            **getattr(func, "__renamed_parameters__", {}),
            old: new,
        }
        return wrapper

    return decorate
