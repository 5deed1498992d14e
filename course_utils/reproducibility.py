"""One switch for reproducible runs: seed every generator the course uses."""

from __future__ import annotations

import os
import random

import numpy as np


def seed_everything(
    seed: int = 0, *, deterministic: bool = True, threads: int | None = None
) -> int:
    """Seed Python, NumPy and torch, and make torch deterministic.

    Call it once at the top of a notebook. Results are then identical run to run on one
    machine; across CPU models they may differ in the last digits, which is why chapters mark
    training outputs ``nbval-ignore-output`` and assert the claims they make.

    Parameters
    ----------
    seed : int, default 0
        Non-negative seed for :mod:`random`, :mod:`numpy.random` and :mod:`torch`.
    deterministic : bool, default True
        Ask torch for deterministic algorithms (``torch.use_deterministic_algorithms``) and
        turn off cuDNN autotuning, so GPU runs repeat too.
    threads : int or None, default None
        If given, the number of CPU threads torch may use. Fixing it makes float sums
        reduce in the same order on every run.

    Returns
    -------
    int
        The seed, so a notebook can show what it used.

    Raises
    ------
    TypeError
        If ``seed`` is not an integer.
    ValueError
        If ``seed`` is negative or does not fit in 32 bits, or ``threads`` is not positive.

    Examples
    --------
    >>> import torch
    >>> seed_everything(7)
    7
    >>> a = torch.rand(2)
    >>> _ = seed_everything(7)
    >>> bool(torch.equal(a, torch.rand(2)))
    True
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"Expected `seed` to be an int, but got {type(seed).__name__}.")
    if not 0 <= seed < 2**32:
        raise ValueError(f"Expected `seed` to be an int in [0, 2**32), but got {seed}.")
    if threads is not None and (not isinstance(threads, int) or threads < 1):
        raise ValueError(f"Expected `threads` to be a positive int or None, but got {threads!r}.")

    import torch  # imported here so that `import course_utils` stays light

    seed = int(seed)
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
