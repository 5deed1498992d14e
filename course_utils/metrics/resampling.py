"""Which rows a bootstrap resample draws: single rows, or blocks of consecutive rows for
series, and how long the blocks should be.

- Independent rows (the default for whole sequences): ``n`` rows drawn with replacement.
- ``"circular"`` blocks (Politis and Romano, 1992): runs of ``block_length`` consecutive
  rows that wrap around from the last row to the first. Every row is drawn equally often
  on average, so the resamples are centred on the estimate: the mean of a resampled mean
  is the sample mean.
- ``"moving"`` blocks (Künsch, 1989): runs that do not wrap. The first and last
  ``block_length - 1`` rows sit in fewer possible blocks and are drawn less often, so a
  series with a trend gets resamples centred away from the estimate. Kept for comparison.
- ``"stationary"`` blocks (Politis and Romano, 1994): circular runs whose lengths are
  geometric with mean ``block_length``, so the resampled series is stationary.

:func:`optimal_block_length` estimates a block length from the data (Politis and White,
2004, with the correction of Patton, Politis and White, 2009).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from course_utils._validation import as_float_vector

__all__ = ["BLOCK_SCHEMES", "BlockLengths", "draw_rows", "optimal_block_length"]

BLOCK_SCHEMES = ("circular", "moving", "stationary")


def draw_rows(rng: np.random.Generator, n_rows: int, block: str | None, block_length: int):
    """Row indices ``(n_rows,)`` of one resample.

    ``block=None`` draws single rows (``rng.integers(0, n_rows, n_rows)``, the same draw for
    every ``block_length``). The schemes are described in the module docstring.
    """
    if block is None or (block_length == 1 and block != "stationary"):
        return rng.integers(0, n_rows, size=n_rows)
    if block == "stationary":
        # Each step starts a new block with probability 1/L (else continues the current one).
        starts = rng.integers(0, n_rows, size=n_rows)
        new = rng.random(n_rows) < 1.0 / block_length
        new[0] = True
        block_id = np.cumsum(new) - 1  # (n_rows,) which block each position belongs to
        first = np.flatnonzero(new)  # position where each block begins
        offset = np.arange(n_rows) - first[block_id]
        return (starts[first][block_id] + offset) % n_rows
    n_blocks = -(-n_rows // block_length)  # ceil: enough blocks to cover n_rows
    offsets = np.arange(block_length)
    if block == "moving":
        starts = rng.integers(0, n_rows - block_length + 1, size=n_blocks)
        return (starts[:, None] + offsets).reshape(-1)[:n_rows]
    starts = rng.integers(0, n_rows, size=n_blocks)  # circular
    return ((starts[:, None] + offsets) % n_rows).reshape(-1)[:n_rows]


@dataclass(frozen=True)
class BlockLengths:
    """Estimated optimal block lengths for one series (real numbers, at least 1).

    Attributes
    ----------
    circular : float
        For the circular (and the moving) block bootstrap.
    stationary : float
        Mean block length for the stationary bootstrap.
    """

    circular: float
    stationary: float

    def __str__(self) -> str:
        return f"block length: circular {self.circular:.2f}, stationary {self.stationary:.2f}"


def optimal_block_length(x) -> BlockLengths:
    """Politis-White estimate of the block length for a block bootstrap of the mean of ``x``.

    The block length that minimises the bootstrap variance estimate's mean squared error is
    ``b = (2 G**2 / D)**(1/3) * n**(1/3)`` (Politis and White, 2004), with
    ``G = sum_k lambda(k/M) |k| R(k)`` and the long-run variance
    ``g = sum_k lambda(k/M) R(k)`` over ``k = -M..M``, ``R(k)`` the sample autocovariances,
    ``lambda`` the flat-top window (1 up to 1/2, then falling linearly to 0 at 1),
    ``D = 2 g**2`` for the stationary bootstrap and ``D = (4/3) g**2`` for the circular one
    (the correction of Patton, Politis and White, 2009). ``M = 2 m``, where ``m`` is the
    first lag after which ``K = 5`` autocorrelations in a row lie inside
    ``±2 sqrt(log10(n) / n)`` (at most ``ceil(sqrt(n)) + K``). The result is capped at
    ``min(3 sqrt(n), n / 3)`` and floored at 1 (1 means: no dependence found, resample
    single rows).

    Parameters
    ----------
    x : array-like of float of shape (n,)
        One series in time order, at least 8 values (for a metric, its per-step loss, or
        the loss difference of two forecasts).

    Returns
    -------
    BlockLengths
        ``.circular`` and ``.stationary``.

    Raises
    ------
    ValueError
        If ``x`` is not 1-D, holds NaN or infinity, or has fewer than 8 values.
    TypeError
        If ``x`` does not hold numbers.

    Examples
    --------
    A smooth series (each value an average of 8 noise terms) needs long blocks; white noise
    needs none:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> smooth = np.convolve(rng.normal(size=400), np.ones(8) / 8, mode="valid")
    >>> optimal_block_length(smooth).circular > 5
    True
    >>> optimal_block_length(rng.normal(size=400)).circular < 2
    True
    """
    x = as_float_vector(x, name="x")
    n = x.size
    if n < 8:
        raise ValueError(
            f"Expected `x` to have at least 8 values to estimate a block length, but got {n}. "
            "With so few rows choose the block length by hand."
        )
    eps = x - x.mean()
    gamma0 = float(eps @ eps) / n
    if gamma0 == 0.0:
        return BlockLengths(1.0, 1.0)
    k_n = 5
    m_max = math.ceil(math.sqrt(n)) + k_n
    m_max = min(m_max, n - 1)
    acov = np.array([eps[k:] @ eps[: n - k] for k in range(m_max + 1)]) / n  # (m_max + 1,)
    insignificant = np.abs(acov[1:] / gamma0) < 2.0 * math.sqrt(math.log10(n) / n)  # lags 1..
    m_hat = None
    for lag in range(1, m_max - k_n + 2):  # lags lag .. lag + k_n - 1 all inside the band
        if insignificant[lag - 1 : lag - 1 + k_n].all():
            m_hat = lag
            break
    if m_hat is None:  # no such run: the largest significant lag (Patton's program)
        significant = np.flatnonzero(~insignificant)
        m_hat = int(significant[-1]) + 1 if significant.size else 1
    big_m = min(2 * m_hat, m_max)
    lags = np.arange(1, big_m + 1)
    window = np.minimum(1.0, 2.0 * (1.0 - lags / big_m))  # flat-top lambda(k / M)
    g = gamma0 + 2.0 * float(window @ acov[1 : big_m + 1])
    big_g = 2.0 * float((window * lags) @ acov[1 : big_m + 1])
    b_max = math.ceil(min(3.0 * math.sqrt(n), n / 3.0))
    if g <= 0.0:
        return BlockLengths(1.0, 1.0)

    def length(d: float) -> float:
        b = (2.0 * big_g**2 / d) ** (1.0 / 3.0) * n ** (1.0 / 3.0)
        return float(min(max(b, 1.0), b_max))

    return BlockLengths(circular=length(4.0 / 3.0 * g * g), stationary=length(2.0 * g * g))
