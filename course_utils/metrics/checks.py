"""Input checks that other course_utils packages share with the metrics.

The public home of the few ``metrics._validation`` helpers that ``calibration`` and
``explorer`` need, so no package imports another package's private module
(tests/test_layers.py enforces this). The checks are the metrics' own: one rule
per idea, the same message wherever the input arrives.
"""

from __future__ import annotations

from course_utils.metrics._validation import (
    as_array,
    as_class_indices,
    as_finite_floats,
    positive_class,
)

__all__ = ["as_array", "as_class_indices", "as_finite_floats", "positive_class"]
