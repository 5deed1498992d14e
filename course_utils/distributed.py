"""Several processes with ``torch.distributed``, started from a script or a notebook.

:func:`run_distributed` starts ``world_size`` new Python processes (``torch.multiprocessing``
with the *spawn* start method), joins them into one process group (gloo on CPU, NCCL on
GPUs) through a ``file://`` rendezvous in a temporary folder, calls one function in each and
returns what each rank returned. It is what ``torchrun`` does for a script, made callable
from a Jupyter kernel, so a chapter can run a real two-process evaluation in a cell.
:func:`evaluate_shard` is such a function: one rank's share of a data set, picked by a
``DistributedSampler``, through :func:`course_utils.training.evaluate`.

Why spawn, and what it asks of the function. A *forked* child would inherit the kernel's
threads and state (fragile with PyTorch's thread pools), so each rank is a fresh
interpreter that imports the function by its module and name. A function defined in a
notebook cell (or a script's ``__main__``, a lambda, a nested function) has no such name:
:func:`run_distributed` refuses it with a TypeError that says to put it in a module. Its
arguments travel pickled (tensors through shared memory), so they must pickle.

What the processes write: their ``print`` output is shown after they finish, each line
prefixed with its rank, in rank order (so the output is deterministic); Python warnings
they raise are raised again here; what they write to stderr (gloo's own notices included)
stays out of the notebook and comes with the error if a rank fails. Gloo is bound to the
loopback interface on Linux: nothing listens beyond this machine.

>>> from course_utils.distributed import run_distributed
>>> import torch.distributed
>>> run_distributed(torch.distributed.get_rank, world_size=2)  # doctest: +SKIP
[0, 1]
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path

from course_utils._validation import check_bool, check_choice, check_int

__all__ = ["evaluate_shard", "run_distributed"]

BACKENDS = ("gloo", "nccl")


def run_distributed(
    function: Callable,
    args: tuple = (),
    kwargs: Mapping | list | None = None,
    *,
    world_size: int = 2,
    backend: str = "gloo",
    timeout: float = 120.0,
    threads: int = 1,
) -> list:
    """Call ``function(*args, **kwargs)`` in ``world_size`` processes of one process group.

    Each process is one rank of a ``torch.distributed`` group, initialised before the call
    (``torch.distributed.get_rank()`` and ``get_world_size()`` work inside it) and destroyed
    after. Works from a script, a test and a Jupyter kernel.

    Parameters
    ----------
    function : callable
        A function importable by its module and name (defined in a ``.py`` module, not in
        a notebook cell or ``__main__``), e.g. :func:`evaluate_shard`.
    args : tuple, default ()
        Positional arguments, the same for every rank (pickled; tensors are shared).
    kwargs : dict or list of dicts, optional
        Keyword arguments, the same for every rank. A list calls ``function`` once per
        dict, in order, in the same processes (starting them costs seconds; the group is
        set up once), and the result then holds one list per call. Each call gets its
        own copy of ``args`` and of its dict, as it would in processes of its own.
    world_size : int, default 2
        Number of processes (ranks).
    backend : {"gloo", "nccl"}, default "gloo"
        "gloo" runs on CPU; "nccl" needs one CUDA device per rank (rank ``r`` uses device
        ``r``).
    timeout : float, default 120
        Seconds before the processes are stopped and a TimeoutError is raised.
    threads : int, default 1
        ``torch.set_num_threads`` in each process (one per core, not oversubscribed).

    Returns
    -------
    list
        What each rank returned, in rank order (``result[r]`` from rank ``r``); with a list
        of ``kwargs``, one such list per call (``result[c][r]``).

    Raises
    ------
    TypeError
        If ``function`` cannot be imported by name in a new process, or an argument does not
        pickle.
    ValueError
        If ``world_size``, ``backend``, ``timeout`` or ``threads`` is invalid, or NCCL is
        asked for without enough CUDA devices.
    RuntimeError
        If a rank raises (its traceback and stderr are in the message) or dies.
    TimeoutError
        If the ranks do not finish within ``timeout`` seconds.

    Examples
    --------
    >>> import torch.distributed as dist
    >>> run_distributed(dist.get_world_size, world_size=3)  # doctest: +SKIP
    [3, 3, 3]
    """
    import torch
    import torch.distributed as dist
    import torch.multiprocessing as mp

    world_size = check_int(world_size, name="world_size", low=1)
    threads = check_int(threads, name="threads", low=1)
    check_choice(backend, name="backend", choices=BACKENDS)
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ValueError(f"Expected `timeout` to be a positive number of seconds, got {timeout!r}.")
    if not isinstance(args, tuple):
        raise TypeError(f"Expected `args` to be a tuple, but got {type(args).__name__}.")
    several = isinstance(kwargs, list)
    calls = kwargs if several else [kwargs]
    if not calls:
        raise ValueError("Expected at least one dict in the list `kwargs`, but it is empty.")
    for call in calls:
        if call is not None and not isinstance(call, Mapping):
            raise TypeError(
                f"Expected `kwargs` to be a dict or a list of dicts, but got {type(call).__name__}."
            )
    calls = [dict(call or {}) for call in calls]
    _check_importable(function)
    for call in calls:
        _check_picklable(args, call)
    if not dist.is_available():
        raise RuntimeError("This build of PyTorch has no torch.distributed.")
    if backend == "nccl" and torch.cuda.device_count() < world_size:
        raise ValueError(
            f"Expected {world_size} CUDA devices for backend='nccl', but there are "
            f"{torch.cuda.device_count()}. Use backend='gloo' (CPU) or a smaller world_size."
        )
    with tempfile.TemporaryDirectory(prefix="course-utils-distributed-") as folder:
        context = mp.start_processes(
            _rank_main,
            args=(world_size, function, args, calls, folder, backend, threads, timeout),
            nprocs=world_size,
            join=False,
            start_method="spawn",
        )
        _join(context, folder, timeout)
        outcomes = [_read(Path(folder), rank) for rank in range(world_size)]
    for rank, outcome in enumerate(outcomes):
        for line in outcome["stdout"].splitlines():
            print(f"[rank {rank}] {line}")
    for rank, outcome in enumerate(outcomes):
        for message, category in outcome["warnings"]:
            warnings.warn(f"[rank {rank}] {message}", category, stacklevel=2)
    results = [[outcome["results"][c] for outcome in outcomes] for c in range(len(calls))]
    return results if several else results[0]


def _check_importable(function) -> None:
    if not callable(function):
        raise TypeError(f"Expected `function` to be callable, but got {function!r}.")
    module = getattr(function, "__module__", None)
    qualname = getattr(function, "__qualname__", getattr(function, "__name__", ""))
    if module in (None, "__main__", "__mp_main__") or "<" in qualname:
        raise TypeError(
            f"Expected `function` to be importable by name in a new process, but "
            f"{qualname or function!r} is defined in {module or 'no module'}"
            f"{' (a notebook cell or a script)' if module == '__main__' else ''}. Put it in a "
            "module (a .py file next to the notebook) and import it from there; each rank is "
            "a fresh interpreter that imports the function by its module and name."
        )


def _check_picklable(args, kwargs) -> None:
    for where, values in (("args", dict(enumerate(args))), ("kwargs", kwargs)):
        for key, value in values.items():
            try:
                pickle.dumps(value)
            except Exception as err:  # what does not pickle cannot reach another process
                raise TypeError(
                    f"Expected `{where}[{key!r}]` to pickle (it is sent to every process), but "
                    f"pickling its {type(value).__name__} failed: {err}"
                ) from None


def _join(context, folder: str, timeout: float) -> None:
    from torch.multiprocessing import ProcessExitedException, ProcessRaisedException

    deadline = time.monotonic() + timeout
    try:
        while not context.join(timeout=max(0.05, min(1.0, deadline - time.monotonic()))):
            if time.monotonic() > deadline:
                for process in context.processes:
                    if process.is_alive():
                        process.terminate()
                for process in context.processes:
                    process.join(5)
                raise TimeoutError(
                    f"The {len(context.processes)} processes did not finish within {timeout:g} "
                    "seconds and were stopped. Raise `timeout`, or look for a rank that waits "
                    "on a collective call the others never make."
                    + _stderr_tail(Path(folder), range(len(context.processes)))
                )
    except ProcessRaisedException as err:
        raise RuntimeError(
            _all_raised(context, err) + _stderr_tail(Path(folder), [err.error_index])
        ) from None
    except ProcessExitedException as err:
        raise RuntimeError(
            f"Rank {err.error_index} died (exit code {err.exit_code}) before returning."
            + _stderr_tail(Path(folder), [err.error_index])
        ) from None


def _all_raised(context, err) -> str:
    """Every rank's traceback, the first to fail first: when one rank raises, the others
    often fail after it in a collective call (a reset connection), and torch reports whichever
    it joins first, which need not be the rank that started it."""
    for process in context.processes:
        process.join(5)
    raised = []
    for rank, path in enumerate(getattr(context, "error_files", ())):
        try:
            if Path(path).stat().st_size:
                raised.append((Path(path).stat().st_mtime, rank, path))
        except OSError:
            continue
    if not raised:
        return f"Rank {err.error_index} raised:\n{err.args[0]}"
    parts = []
    for _, rank, path in sorted(raised):
        if rank == err.error_index:
            text = err.args[0]
        else:
            try:
                import pickle

                with open(path, "rb") as handle:
                    text = str(pickle.load(handle))  # the traceback, as torch wrote it
            except Exception:  # an unreadable error file: say which rank, not what
                text = "(its traceback could not be read)"
        parts.append(f"Rank {rank} raised:\n{text}")
    return "\n\n".join(parts)


def _stderr_tail(folder: Path, ranks, limit: int = 2000) -> str:
    parts = []
    for rank in ranks:
        path = folder / f"rank{rank}.stderr"
        text = path.read_text(errors="replace").strip() if path.exists() else ""
        if text:
            parts.append(
                f"\n--- stderr of rank {rank} (last {limit} characters) ---\n{text[-limit:]}"
            )
    return "".join(parts)


def _read(folder: Path, rank: int) -> dict:
    with open(folder / f"rank{rank}.pkl", "rb") as handle:
        outcome = pickle.load(handle)
    outcome["stdout"] = (folder / f"rank{rank}.stdout").read_text(errors="replace")
    return outcome


@contextlib.contextmanager
def _output_to_files(folder: Path, rank: int):
    """Send this process's stdout and stderr (file descriptors 1 and 2) to files."""
    saved = []
    for fd, stream_name in ((1, "stdout"), (2, "stderr")):
        stream = getattr(sys, stream_name)
        with contextlib.suppress(Exception):
            stream.flush()
        handle = open(folder / f"rank{rank}.{stream_name}", "w")  # closed below
        saved.append((fd, os.dup(fd), handle))
        os.dup2(handle.fileno(), fd)
    try:
        yield
    finally:
        for stream_name in ("stdout", "stderr"):
            with contextlib.suppress(Exception):
                getattr(sys, stream_name).flush()
        for fd, copy, handle in saved:
            os.dup2(copy, fd)
            os.close(copy)
            handle.close()


def _rank_main(rank, world_size, function, args, calls, folder, backend, threads, timeout):
    # pragma: no cover - runs in the spawned processes (the tests exercise it end to end)
    import torch
    import torch.distributed as dist

    folder = Path(folder)
    with _output_to_files(folder, rank):
        if sys.platform.startswith("linux"):
            os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")  # the loopback only
        torch.set_num_threads(threads)
        if backend == "nccl":
            torch.cuda.set_device(rank)
        dist.init_process_group(
            backend,
            init_method=f"file://{folder / 'rendezvous'}",
            rank=rank,
            world_size=world_size,
            timeout=timedelta(seconds=math.ceil(timeout)),
        )
        several = len(calls) > 1
        try:
            with warnings.catch_warnings(record=True) as caught:
                results = [
                    function(*_own(args, several), **_own(kwargs, several)) for kwargs in calls
                ]
        finally:
            dist.destroy_process_group()
        raised = [(str(w.message), w.category) for w in caught]
        with open(folder / f"rank{rank}.pkl", "wb") as handle:
            pickle.dump({"results": results, "warnings": raised}, handle)


def _own(value, copy_it: bool):
    """Each call of several gets its own copy of the arguments, as in a fresh start (a
    stream passed in is then not updated twice)."""
    import copy

    return copy.deepcopy(value) if copy_it else value


def evaluate_shard(
    model,
    dataset,
    metrics,
    *,
    batch_size: int = 256,
    shuffle: bool = False,
    seed: int = 0,
    drop_sampler_padding: bool = True,
    sync: bool = True,
) -> dict:
    """One rank's evaluation: its shard of ``dataset`` through :func:`~course_utils.training.evaluate`.

    Run it in every rank of a process group (e.g. with :func:`run_distributed`). Each rank
    reads the positions a ``DistributedSampler(dataset, shuffle=shuffle, seed=seed)`` gives
    it, in batches of ``batch_size``. That sampler pads the data set with copies of its
    first samples so that every rank gets the same number; with the defaults they are left
    out and the streams are synced, so every rank returns the metrics of the whole data set,
    each sample counted once, equal to one process's.

    Parameters
    ----------
    model, metrics
        As for :func:`course_utils.training.evaluate`.
    dataset : torch.utils.data.Dataset
        Of ``(x, lengths, y)`` samples, e.g. ``TensorDataset(x, lengths, y)``.
    batch_size : int, default 256
    shuffle, seed
        The sampler's (its default shuffles; evaluation usually need not).
    drop_sampler_padding : bool, default True
        False counts the sampler's copies too: the classic bug, for showing it.
    sync : bool, default True
        False returns this rank's own metrics, from its shard alone.

    Returns
    -------
    dict
        ``{name: value}`` as :func:`~course_utils.training.evaluate` returns it.

    Raises
    ------
    ValueError
        If no process group is initialised (start the ranks with :func:`run_distributed`),
        or where :func:`~course_utils.training.evaluate` would.

    Examples
    --------
    >>> from course_utils.distributed import evaluate_shard, run_distributed
    >>> run_distributed(evaluate_shard, (model, test_set, ["f1_score"]))  # doctest: +SKIP
    [{'f1_score': 0.41}, {'f1_score': 0.41}]
    """
    import torch.distributed as dist
    from torch.utils.data import DataLoader
    from torch.utils.data.distributed import DistributedSampler

    from course_utils.training import evaluate

    if not (dist.is_available() and dist.is_initialized()):
        raise ValueError(
            "Expected to run in a rank of a torch.distributed process group, but none is "
            "initialised. Start the ranks with run_distributed(evaluate_shard, (model, "
            "dataset, metrics)), or call torch.distributed.init_process_group first."
        )
    batch_size = check_int(batch_size, name="batch_size", low=1)
    check_bool(shuffle, name="shuffle")
    sampler = DistributedSampler(dataset, shuffle=shuffle, seed=seed)
    loader = DataLoader(dataset, batch_size=batch_size, sampler=sampler)
    return evaluate(model, loader, metrics, sync=sync, drop_sampler_padding=drop_sampler_padding)
