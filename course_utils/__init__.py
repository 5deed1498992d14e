"""Helpers for the course *Evaluating recurrent models in PyTorch*.

The package is split by concern, one small module each; the layering is one-way (metrics
and plots import only NumPy and :mod:`course_utils._validation`; quiz never touches training):

- :mod:`course_utils.metrics` -- metrics written from scratch, named as in scikit-learn,
  aware of padding (``mask=``/``lengths=``).
- :mod:`course_utils.data` -- real data sets loaded offline and seeded synthetic generators.
- :mod:`course_utils.models` -- ``nn.RNN``/``nn.GRU`` models that honour sequence lengths.
- :mod:`course_utils.training` -- one seeded training loop (and ``fit_seeds`` for several
  seeds) and prediction helpers.
- :mod:`course_utils.recipes` -- settings per data set, and how they were chosen.
- :mod:`course_utils.calibration` -- recalibration fitted on validation data (Platt,
  temperature, isotonic), cost thresholds and prior shift.
- :mod:`course_utils.plots` -- figures for the chapters (matplotlib/seaborn, imported lazily).
- :mod:`course_utils.quiz` and :mod:`course_utils.explorer` -- interactive pieces that work in a
  kernel and in the static book.
- :mod:`course_utils.instructor` -- student editions, answer keys, grading.
- :mod:`course_utils._validation` -- the one set of input checks, and the rules every entry
  point follows (lengths in ``0..T``, masks, labels, ``pos_label``).

How to contribute (chapters, quizzes, code): ``CONTRIBUTING.md``.

Only the light reproducibility helper is imported here; submodules are imported on demand so
``import course_utils`` stays fast.
"""

from course_utils.reproducibility import seed_everything

__all__ = ["seed_everything"]
__version__ = "0.1.0"
