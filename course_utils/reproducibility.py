"""One switch for reproducible runs: seed every generator the course uses.

The environment variable ``COURSE_SEED`` re-runs a whole chapter under another seed without
editing it: when it is set, :func:`seed_everything` uses its value instead of the seed it is
given and returns the seed actually used. Chapters therefore write
``SEED = seed_everything(0)`` and derive every other training seed from ``SEED``;
``make claims`` re-executes every chapter under 3 values of ``COURSE_SEED`` drawn anew each run
(printed; ``CLAIM_SEEDS=...`` reruns them), and ``tools/claim_rates.py`` measures each claim's
failure share over 20.
"""

from __future__ import annotations

import os
import random

import numpy as np

from course_utils._validation import check_seed

__all__ = ["SEED_ENV", "seed_everything"]

#: The environment variable that replaces the seed given to :func:`seed_everything`.
SEED_ENV = "COURSE_SEED"


def _seed_from_env(seed: int) -> int:
    """``COURSE_SEED`` if set (and valid), else ``seed``."""
    text = os.environ.get(SEED_ENV, "").strip()
    if not text:
        return seed
    try:
        value = int(text, 10)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise ValueError(
            f"Expected the environment variable {SEED_ENV} to be an int in [0, 2**32), but got "
            f"{os.environ[SEED_ENV]!r}; unset it or set it to, e.g., {SEED_ENV}=1."
        )
    return value


def _seed_all(seed: int, *, deterministic: bool = True, threads: int | None = None) -> int:
    """Seed Python, NumPy and torch with exactly ``seed`` (no ``COURSE_SEED`` override)."""
    import torch  # imported here so that `import course_utils` stays light

    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 -- the legacy global generator is what seeding must reach
    torch.manual_seed(seed)  # also seeds every CUDA device
    if threads is not None:
        torch.set_num_threads(threads)
    if deterministic:
        # cuBLAS needs this workspace setting to be deterministic on CUDA >= 10.2.
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
        torch.use_deterministic_algorithms(True, warn_only=True)
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
    return seed


def seed_everything(
    seed: int = 0, *, deterministic: bool = True, threads: int | None = None
) -> int:
    """Seed Python, NumPy and torch, and make torch deterministic.

    Call it once at the top of a notebook, as ``SEED = seed_everything(0)``, and derive every
    other seed from ``SEED``. Results are then identical run to run on one machine with the
    same packages. Another CPU model usually changes only the last digits; a GPU (which
    ``fit`` picks when one is present) or another torch version can take another path
    through training and change a trained model's scores by more. That is why chapters mark
    training outputs ``nbval-ignore-output`` and assert the claims they make, and why
    ``make claims`` checks those claims under other seeds.

    If the environment variable ``COURSE_SEED`` is set, its value replaces ``seed``: that is
    how ``make claims`` (or ``COURSE_SEED=3 jupyter lab``) re-runs a chapter under another
    seed without editing it.

    Parameters
    ----------
    seed : int, default 0
        Non-negative seed for :mod:`random`, :mod:`numpy.random` and :mod:`torch`, used
        unless ``COURSE_SEED`` is set.
    deterministic : bool, default True
        Ask torch for deterministic algorithms (``torch.use_deterministic_algorithms``, with
        ``warn_only=True``) and turn off cuDNN autotuning, so that GPU runs repeat too. An
        operation that has no deterministic version only warns, and may then not repeat.
    threads : int or None, default None
        If given, the number of CPU threads torch may use. Fixing it makes float sums
        reduce in the same order on every run.

    Returns
    -------
    int
        The seed actually used: ``COURSE_SEED`` if set, else ``seed``.

    Raises
    ------
    TypeError
        If ``seed`` is not an integer.
    ValueError
        If ``seed`` is negative or does not fit in 32 bits, ``threads`` is not positive, or
        ``COURSE_SEED`` is set to something other than such an integer.

    Examples
    --------
    >>> import os, torch
    >>> seed_everything(7)
    7
    >>> a = torch.rand(2)
    >>> _ = seed_everything(7)
    >>> bool(torch.equal(a, torch.rand(2)))
    True
    >>> os.environ["COURSE_SEED"] = "3"
    >>> seed_everything(7)  # the environment wins
    3
    >>> del os.environ["COURSE_SEED"]
    """
    seed = check_seed(seed)
    if threads is not None and (
        isinstance(threads, bool) or not isinstance(threads, int) or threads < 1
    ):
        raise ValueError(f"Expected `threads` to be a positive int or None, but got {threads!r}.")
    if not isinstance(deterministic, bool):
        raise TypeError(f"Expected `deterministic` to be a bool, but got {deterministic!r}.")
    return _seed_all(_seed_from_env(seed), deterministic=deterministic, threads=threads)
