"""The one warning class the metrics raise when a number is undefined."""

from __future__ import annotations

import os
import sys
import warnings


class UndefinedMetricWarning(UserWarning):
    """A metric was undefined for these inputs and was replaced by a stated value.

    Raised where scikit-learn raises its own ``UndefinedMetricWarning`` (for example precision
    with no predicted positives, or ROC AUC with one class), with the same message. It
    subclasses :class:`UserWarning`, so ``warnings.simplefilter("error", UserWarning)`` turns it
    into an error and it is shown by default.

    Examples
    --------
    >>> import warnings
    >>> from course_utils.metrics import precision_score, UndefinedMetricWarning
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     precision_score([1, 0], [0, 0])
    0.0
    >>> caught[0].category is UndefinedMetricWarning
    True
    """


def warn(message: str, category: type[Warning] = UndefinedMetricWarning) -> None:
    """Warn, pointing at the first caller outside this package (the learner's own line)."""
    package_dir = os.path.dirname(__file__)
    frame, level = sys._getframe(1), 2
    params = os.path.join(os.path.dirname(package_dir), "_params.py")  # validate_params' frame
    while frame is not None and (
        frame.f_code.co_filename.startswith(package_dir) or frame.f_code.co_filename == params
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
