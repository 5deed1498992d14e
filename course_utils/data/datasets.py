"""Real data sets, loaded offline from the files that ship inside aeon's wheel.

aeon (installed from the package index) carries the UCR/UEA archive files for a handful of
data sets, so nothing is downloaded at run time. Splits are kept exactly as published.

Every classification loader returns ``(x, lengths, y)``:

- ``x`` -- float32 tensor ``(N, T, F)``, zero-padded after each sequence's last real step;
- ``lengths`` -- int64 tensor ``(N,)``, the number of real steps in each row;
- ``y`` -- int64 tensor ``(N,)``, class indices starting at 0.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import torch

from course_utils._validation import check_choice

#: JapaneseVowels is padded to the longest utterance in either split (train 26, test 29), so
#: the two splits share one shape.
JAPANESE_VOWELS_MAX_LENGTH = 29

#: Class names of :func:`load_gunpoint`, indexed by label.
GUNPOINT_CLASSES = ("Point", "Gun-Draw")

#: Class names of :func:`load_italy_power_demand`, indexed by label.
ITALY_POWER_DEMAND_CLASSES = ("October-March", "April-September")

_SPLITS = ("train", "test")


@lru_cache(maxsize=16)
def _load_ucr(name: str, split: str) -> tuple[list[np.ndarray], np.ndarray]:
    """aeon's arrays for one split: a list of (channels, time) arrays and string labels."""
    from aeon.datasets import load_classification  # heavy: imported only when loading

    series, labels = load_classification(name, split=split)
    return [np.asarray(s, dtype=np.float32) for s in series], np.asarray(labels)


def _pad(series: list[np.ndarray], max_length: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack (channels, time) arrays into a zero-padded (N, max_length, channels) tensor."""
    n, channels = len(series), series[0].shape[0]
    x = torch.zeros(n, max_length, channels)  # (batch, time, features)
    lengths = torch.empty(n, dtype=torch.int64)
    for i, s in enumerate(series):
        x[i, : s.shape[1]] = torch.from_numpy(s.T)  # aeon stores (channels, time)
        lengths[i] = s.shape[1]
    return x, lengths


def _labels(labels: np.ndarray, classes: list[str]) -> torch.Tensor:
    """Map label strings to indices 0..len(classes)-1 in the order of ``classes``."""
    index = {c: i for i, c in enumerate(classes)}
    return torch.tensor([index[str(c)] for c in labels], dtype=torch.int64)


def load_japanese_vowels(split: str = "train") -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Load JapaneseVowels: nine male speakers saying the vowel pair /ae/.

    Each utterance is a sequence of 12 LPC cepstrum coefficients, 7 to 29 frames long; the
    task is to say who spoke. The published split has 270 training utterances (30 per
    speaker) and 370 test utterances (24 to 88 per speaker). Source: UCI, Kudo, Toyama and
    Shimbo (1999), via the UEA archive files shipped in aeon.

    Parameters
    ----------
    split : {"train", "test"}, default "train"
        Which published split to load.

    Returns
    -------
    x : torch.Tensor
        float32, shape ``(N, 29, 12)``: both splits are zero-padded to 29 steps, the longest
        utterance in the data set (see ``JAPANESE_VOWELS_MAX_LENGTH``).
    lengths : torch.Tensor
        int64, shape ``(N,)``: real frames per utterance, 7 to 29.
    y : torch.Tensor
        int64, shape ``(N,)``: speaker index 0..8 (speaker ``k + 1`` in the original files).

    Raises
    ------
    ValueError
        If ``split`` is not "train" or "test".

    Examples
    --------
    >>> x, lengths, y = load_japanese_vowels("train")
    >>> tuple(x.shape), tuple(lengths.shape), tuple(y.shape)
    ((270, 29, 12), (270,), (270,))
    >>> int(lengths.min()), int(lengths.max()), y.unique().tolist()
    (7, 26, [0, 1, 2, 3, 4, 5, 6, 7, 8])
    >>> bool((x[0, lengths[0]:] == 0).all())  # zero padding after the last real frame
    True
    """
    check_choice(split, name="split", choices=_SPLITS)
    series, labels = _load_ucr("JapaneseVowels", split)
    x, lengths = _pad(series, JAPANESE_VOWELS_MAX_LENGTH)
    y = _labels(labels, [str(k) for k in range(1, 10)])
    return x, lengths, y


def _load_univariate(name: str, split: str, classes: list[str]):
    series, labels = _load_ucr(name, split)
    x, lengths = _pad(series, series[0].shape[1])  # equal-length sets: no padding
    return x, lengths, _labels(labels, classes)


def load_gunpoint(split: str = "train") -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Load GunPoint: is the actor drawing a gun or pointing a finger?

    One channel, the x-coordinate of the right hand over 150 frames. The published split has
    50 training and 150 test sequences; the classes are balanced. Source: the UCR archive
    (Ratanamahatana and Keogh), via aeon.

    Parameters
    ----------
    split : {"train", "test"}, default "train"
        Which published split to load.

    Returns
    -------
    x : torch.Tensor
        float32, shape ``(N, 150, 1)``.
    lengths : torch.Tensor
        int64, shape ``(N,)``: all 150 (the sequences have equal length).
    y : torch.Tensor
        int64, shape ``(N,)``: 1 for Gun-Draw (the positive class), 0 for Point
        (``GUNPOINT_CLASSES``). The original files label Gun-Draw 1 and Point 2.

    Raises
    ------
    ValueError
        If ``split`` is not "train" or "test".

    Examples
    --------
    >>> x, lengths, y = load_gunpoint("test")
    >>> tuple(x.shape), int(lengths.unique()), y.bincount().tolist()
    ((150, 150, 1), 150, [74, 76])
    """
    check_choice(split, name="split", choices=_SPLITS)
    return _load_univariate("GunPoint", split, ["2", "1"])


def load_italy_power_demand(
    split: str = "train",
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Load ItalyPowerDemand: was this day's electricity demand curve in winter or summer?

    One channel, 24 hourly demand values for one day in Italy (1997). The published split
    has 67 training and 1029 test days. Source: the UCR archive, via aeon.

    Parameters
    ----------
    split : {"train", "test"}, default "train"
        Which published split to load.

    Returns
    -------
    x : torch.Tensor
        float32, shape ``(N, 24, 1)``.
    lengths : torch.Tensor
        int64, shape ``(N,)``: all 24.
    y : torch.Tensor
        int64, shape ``(N,)``: 0 for October-March, 1 for April-September
        (``ITALY_POWER_DEMAND_CLASSES``; the original files label them 1 and 2).

    Raises
    ------
    ValueError
        If ``split`` is not "train" or "test".

    Examples
    --------
    >>> x, lengths, y = load_italy_power_demand("train")
    >>> tuple(x.shape), y.bincount().tolist()
    ((67, 24, 1), [34, 33])
    """
    check_choice(split, name="split", choices=_SPLITS)
    return _load_univariate("ItalyPowerDemand", split, ["1", "2"])


def load_airline() -> np.ndarray:
    """Load the airline series: monthly international airline passengers, 1949 to 1960.

    144 monthly totals in thousands of passengers (Box and Jenkins), with a rising trend and
    a yearly season that grows with the level. Use it with :func:`sliding_windows` to make
    (window -> next value) pairs for forecasting, and split it in time order.

    Returns
    -------
    numpy.ndarray
        float64, shape ``(144,)``: January 1949 first, December 1960 last.

    Examples
    --------
    >>> series = load_airline()
    >>> series.shape, series[:3].tolist(), float(series[-1])
    ((144,), [112.0, 118.0, 132.0], 432.0)
    """
    from aeon.datasets import load_airline as _aeon_airline

    return np.asarray(_aeon_airline(), dtype=np.float64).copy()


#: The forecast horizon of the M1 yearly series: the competition held out the last 6 years.
M1_YEARLY_HORIZON = 6


@lru_cache(maxsize=1)
def _m1_yearly() -> tuple[tuple[np.ndarray, ...], tuple[str, ...], tuple[int, ...]]:
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("aeon")  # the file ships in aeon's wheel; aeon not imported
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(
            "load_m1_yearly reads the M1 file that ships inside aeon's wheel: "
            "pip install 'aeon>=1.0' (or course_utils[data])."
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    path = root / "datasets" / "data" / "m1_yearly_dataset" / "m1_yearly_dataset.tsf"
    series, names, starts = [], [], []
    in_data = False
    for line in path.read_text().splitlines():
        if not in_data:
            in_data = line.strip().lower() == "@data"
            continue
        if line.strip():
            name, start, values = line.split(":", 2)  # T1:1972-01-01 00-00-00:3600,7700,...
            series.append(np.array([float(v) for v in values.split(",")], dtype=np.float64))
            names.append(name)
            starts.append(int(start[:4]))
    for s in series:
        s.setflags(write=False)
    return tuple(series), tuple(names), tuple(starts)


def load_m1_yearly(*, return_names: bool = False):
    """Load the 181 yearly series of the M1 forecasting competition (Makridakis et al., 1982).

    Macro- and micro-economic, industry and demographic series, 15 to 58 years long, in their
    own units (no two series share a scale). The competition forecast the last
    :data:`M1_YEARLY_HORIZON` (6) years of each from the years before: hold those out as the
    test window. The file ships inside aeon's wheel (the Monash forecasting archive's
    ``m1_yearly_dataset``); nothing is downloaded.

    Parameters
    ----------
    return_names : bool, default False
        Also return each series' name (``"T1"`` ...) and first year.

    Returns
    -------
    series : list of numpy.ndarray
        181 float64 arrays ``(length,)``, oldest year first (fresh copies).
    names : list of str
        Only with ``return_names=True``.
    start_years : list of int
        Only with ``return_names=True`` (series T51's is recorded as 1900: unknown).

    Raises
    ------
    ImportError
        If aeon is not installed.

    Examples
    --------
    >>> series = load_m1_yearly()
    >>> len(series), min(map(len, series)), max(map(len, series))
    (181, 15, 58)
    >>> series[0][:3].tolist()
    [3600.0, 7700.0, 12300.0]
    """
    if not isinstance(return_names, bool):
        raise TypeError(f"Expected `return_names` to be a bool, but got {return_names!r}.")
    series, names, starts = _m1_yearly()
    copies = [s.copy() for s in series]
    return (copies, list(names), list(starts)) if return_names else copies
