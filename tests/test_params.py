"""Tests generated from the parameter constraints each public metric declares (issue 28).

Every public function of ``course_utils.metrics`` that takes options declares them once, with
:func:`course_utils._params.validate_params`; the constraints stay on the function as
``__param_constraints__``. From them, for every function and every constrained parameter:

- a value of the wrong type raises :class:`InvalidParameterError` naming the parameter;
- each value of the right type that breaks the rule (just outside an interval, NaN for a
  float, a string not among the options) raises it too, naming the parameter;
- and one exception family serves every option: ``n_bins='10'`` and ``n_resamples='10'``
  raise the same type, a subclass of both ``ValueError`` and ``TypeError``.

The checks run before the function reads its data, so the data arguments are passed as
``None``: the error can only come from the option under test.
"""

from __future__ import annotations

import inspect
import math
from numbers import Integral

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import course_utils.metrics as metrics
from course_utils._params import (
    Boolean,
    Interval,
    InvalidParameterError,
    Options,
    Seed,
    StrOptions,
    _NoneConstraint,
    check_param,
)

# Options a metric takes that are not declared, each with the reason.
UNDECLARED = {
    "pos_label": "a label, of whatever type the labels have (checked against the labels)",
    "multioutput": "a string or an array of weights (checked against the outputs' shape)",
    "horizon": "default_lags: checked where the lag rule is applied",
}


def _functions():
    for name in metrics.__all__:
        func = getattr(metrics, name)
        if inspect.isfunction(func):
            yield name, func


DECLARED = [
    (name, param)
    for name, func in _functions()
    for param in getattr(func, "__param_constraints__", {})
]


def _valid(constraints):
    """A value that satisfies one of ``constraints``."""
    for c in constraints:
        if isinstance(c, _NoneConstraint):
            return None
    c = constraints[0]
    if isinstance(c, Interval):
        for value in (c.left, c.right, 1, 0.5, 0):
            if value is not None and c.is_satisfied_by(value):
                return value
        step = 1 if c.type is Integral else 0.5
        return c.left + step
    if isinstance(c, StrOptions | Options):
        return c.options[0]
    if isinstance(c, Boolean):
        return True
    raise AssertionError(f"no valid value known for {c!r}")


def _call(func, param, value):
    """Call ``func`` with ``param=value``, data arguments None, other options valid."""
    constraints = func.__param_constraints__
    args, kwargs = [], {}
    for p in inspect.signature(func).parameters.values():
        if p.name == param:
            if p.kind is p.KEYWORD_ONLY:
                kwargs[p.name] = value
            else:
                args.append(value)
        elif p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            args.append(_valid(constraints[p.name]) if p.name in constraints else None)
        elif p.default is p.empty and p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = _valid(constraints[p.name]) if p.name in constraints else None
    return func(*args, **kwargs)


def _satisfied(constraints, value) -> bool:
    return any(c.is_satisfied_by(value) for c in constraints)


def test_the_constraints_were_found():
    assert len(DECLARED) > 100, len(DECLARED)
    assert {"n_bins", "n_resamples", "seed", "confidence", "zero_division"} <= {
        param for _, param in DECLARED
    }


@pytest.mark.parametrize(("name", "param"), DECLARED, ids=[f"{n}-{p}" for n, p in DECLARED])
def test_a_wrong_type_is_refused_naming_the_parameter(name, param):
    func = getattr(metrics, name)
    constraints = func.__param_constraints__[param]
    wrong = object()  # of no type any constraint accepts
    assert not _satisfied(constraints, wrong)
    with pytest.raises(InvalidParameterError, match=f"`{param}`"):
        _call(func, param, wrong)


@pytest.mark.parametrize(("name", "param"), DECLARED, ids=[f"{n}-{p}" for n, p in DECLARED])
def test_values_that_break_the_rule_are_refused_naming_the_parameter(name, param):
    func = getattr(metrics, name)
    constraints = func.__param_constraints__[param]
    bad = [v for c in constraints for v in c.invalid_values() if not _satisfied(constraints, v)]
    if any(isinstance(c, Interval | StrOptions) for c in constraints):
        assert bad, f"{name}({param}=...): no value outside {constraints} was generated"
    for value in bad:
        with pytest.raises(InvalidParameterError, match=f"`{param}`"):
            _call(func, param, value)


def test_every_scalar_option_is_declared():
    missing = []
    for name, func in _functions():
        declared = getattr(func, "__param_constraints__", {})
        for p in inspect.signature(func).parameters.values():
            scalar = isinstance(p.default, bool | int | float | str)
            if p.default is not p.empty and scalar and p.name not in declared:
                if p.name not in UNDECLARED:
                    missing.append(f"{name}({p.name}={p.default!r})")
    assert not missing, f"options with no declared constraint: {missing}"


def test_one_exception_family_for_every_option():
    y_true, y_prob = [0, 1, 1, 0], [0.1, 0.8, 0.7, 0.3]
    with pytest.raises(InvalidParameterError) as bins:
        metrics.calibration_curve(y_true, y_prob, n_bins="10")
    with pytest.raises(InvalidParameterError) as resamples:
        metrics.bootstrap_ci(metrics.accuracy_score, y_true, [0, 1, 0, 0], n_resamples="10")
    assert type(bins.value) is type(resamples.value) is InvalidParameterError
    assert issubclass(InvalidParameterError, ValueError)
    assert issubclass(InvalidParameterError, TypeError)
    with pytest.raises(InvalidParameterError, match="`seed`"):
        metrics.bootstrap_ci(metrics.accuracy_score, y_true, [0, 1, 0, 0], seed=2**40)


@given(st.integers())
def test_a_seed_is_an_int_in_0_to_2_32(value):
    ok = 0 <= value < 2**32
    if ok:
        assert check_param("seed", value, [Seed()]) == value
    else:
        with pytest.raises(InvalidParameterError, match="`seed`"):
            check_param("seed", value, [Seed()])


@given(st.one_of(st.integers(-5, 5), st.floats(allow_nan=True, allow_infinity=True)))
def test_an_interval_holds_exactly_its_finite_numbers(value):
    from numbers import Real

    rule = Interval(Real, 0, 1, closed="neither")
    inside = math.isfinite(value) and 0 < value < 1
    assert rule.is_satisfied_by(value) == inside
    assert not rule.is_satisfied_by(True) and not rule.is_satisfied_by(np.True_)
