"""Data for the course: real sets loaded offline, seeded synthetic ones, splits and scaling.

Every loader and generator returns the course's padded-batch convention ``(x, lengths, y)``:
``x`` a zero-padded float32 tensor ``(batch, time, features)``, ``lengths`` int64 ``(batch,)``
and ``y`` int64 labels (``(batch,)`` or, for tagging, ``(batch, time)``).

Real data (aeon ships the files; nothing is downloaded):
:func:`load_japanese_vowels`, :func:`load_gunpoint`, :func:`load_italy_power_demand`,
:func:`load_airline`; many series: :func:`load_m1_yearly` (181 yearly series of the M1
competition).

A real corpus of token sequences (the files ship inside this package; music21 is needed
only to rebuild them): :func:`load_chorales`, soprano lines of 409 Bach chorales, as a
:class:`TokenSequences` (padded with :data:`PAD`); model inputs for next-token models:
:func:`next_token_data`; near-duplicate sequences across splits: :func:`near_duplicates`,
:func:`sequence_similarity`. Rivals fitted on training tokens: :class:`NGramModel`
(unigram, add-k and interpolated Kneser-Ney n-grams).

Synthetic data (seeded, documented as such): :func:`make_fraud_sequences`,
:func:`make_long_range_task`, :func:`make_tagging_task`.

Windows, splits and scaling: :func:`sliding_windows`, :func:`chronological_split`,
:func:`random_split`, :func:`grouped_split`, :class:`SequenceScaler`.

Evaluating forecasts: :func:`rolling_origin_split`, :func:`scale_windows`,
:func:`naive_forecasts` (one step); many steps ahead: :func:`origin_windows`, :func:`baseline_forecasts`,
:func:`baseline_residuals`, :func:`bootstrap_paths` (the simple rivals and their
bootstrapped intervals), :func:`many_series_windows` (windows across series, scaled per
series, for one global model); padding a batch to given lengths: :func:`zero_padding`.
The tagging task's hand-written baseline: :func:`tagging_rule`.
"""

from course_utils.data.baselines import tagging_rule
from course_utils.data.chorales import MELODY_SIMILARITY, load_chorales
from course_utils.data.datasets import (
    GUNPOINT_CLASSES,
    ITALY_POWER_DEMAND_CLASSES,
    JAPANESE_VOWELS_MAX_LENGTH,
    M1_YEARLY_HORIZON,
    load_airline,
    load_gunpoint,
    load_italy_power_demand,
    load_japanese_vowels,
    load_m1_yearly,
)
from course_utils.data.forecasting import (
    BASELINES,
    baseline_forecasts,
    baseline_residuals,
    bootstrap_paths,
    many_series_windows,
    naive_forecasts,
    origin_windows,
    rolling_origin_split,
    scale_windows,
    zero_padding,
)
from course_utils.data.ngrams import NGramModel
from course_utils.data.scaling import SequenceScaler
from course_utils.data.splits import (
    chronological_split,
    grouped_split,
    random_split,
    sliding_windows,
)
from course_utils.data.synthetic import (
    FRAUD_FEATURES,
    TAGGING_CLASSES,
    make_fraud_sequences,
    make_long_range_task,
    make_tagging_task,
)
from course_utils.data.tokens import (
    PAD,
    TokenSequences,
    near_duplicates,
    next_token_data,
    sequence_similarity,
)

__all__ = [
    "BASELINES",
    "FRAUD_FEATURES",
    "GUNPOINT_CLASSES",
    "ITALY_POWER_DEMAND_CLASSES",
    "JAPANESE_VOWELS_MAX_LENGTH",
    "M1_YEARLY_HORIZON",
    "MELODY_SIMILARITY",
    "PAD",
    "TAGGING_CLASSES",
    "NGramModel",
    "SequenceScaler",
    "TokenSequences",
    "baseline_forecasts",
    "baseline_residuals",
    "bootstrap_paths",
    "chronological_split",
    "grouped_split",
    "load_airline",
    "load_chorales",
    "load_gunpoint",
    "load_italy_power_demand",
    "load_japanese_vowels",
    "load_m1_yearly",
    "make_fraud_sequences",
    "make_long_range_task",
    "make_tagging_task",
    "many_series_windows",
    "naive_forecasts",
    "near_duplicates",
    "next_token_data",
    "origin_windows",
    "random_split",
    "rolling_origin_split",
    "scale_windows",
    "sequence_similarity",
    "sliding_windows",
    "tagging_rule",
    "zero_padding",
]
