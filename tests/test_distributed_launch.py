"""course_utils.distributed: real gloo processes started by run_distributed (spawn, file://
rendezvous, loopback only), and evaluate_shard under a DistributedSampler against one
process. The functions the ranks run are defined here, at module level, so that a spawned
process can import them by name."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pytest
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, TensorDataset

from course_utils.distributed import evaluate_shard, run_distributed
from course_utils.metrics import stream
from course_utils.models import SequenceClassifier
from course_utils.training import evaluate


def rank_and_sum(offset):
    """Each rank's rank, and the sum of every rank's rank plus offset (a collective)."""
    total = torch.tensor([dist.get_rank() + offset])
    dist.all_reduce(total)
    print(f"hello from {dist.get_rank()}")
    return dist.get_rank(), dist.get_world_size(), int(total)


def warn_on_rank_one():
    if dist.get_rank() == 1:
        warnings.warn("rank one says so", UserWarning, stacklevel=1)
    return dist.get_rank()


def fail_on_rank_one():
    if dist.get_rank() == 1:
        raise ValueError("rank one failed on purpose")
    dist.barrier()
    return 0


def sleep_long():
    time.sleep(600)


def data_and_model(n=11):
    torch.manual_seed(0)
    x = torch.randn(n, 6, 3)
    lengths = torch.randint(1, 7, (n,))
    y = torch.tensor([0, 1] * (n // 2) + [1] * (n % 2))
    return TensorDataset(x, lengths, y), SequenceClassifier(3, 4, 2, seed=0)


def metrics():
    return {"counts": stream("confusion_matrix", labels=[0, 1]), "f1": "f1_score"}


@pytest.mark.slow
def test_every_rank_runs_in_one_group_and_prints_in_rank_order(capsys):
    results = run_distributed(rank_and_sum, (10,), world_size=3)
    assert results == [(0, 3, 33), (1, 3, 33), (2, 3, 33)]
    out = capsys.readouterr().out.splitlines()
    assert out == ["[rank 0] hello from 0", "[rank 1] hello from 1", "[rank 2] hello from 2"]


@pytest.mark.slow
def test_a_list_of_kwargs_calls_once_per_dict_in_the_same_group(capsys):
    results = run_distributed(rank_and_sum, (), [{"offset": 0}, {"offset": 1}])
    assert results == [[(0, 2, 1), (1, 2, 1)], [(0, 2, 3), (1, 2, 3)]]
    out = capsys.readouterr().out.splitlines()
    assert out == ["[rank 0] hello from 0"] * 2 + ["[rank 1] hello from 1"] * 2


@pytest.mark.slow
def test_evaluate_shard_equals_one_process_and_the_bug_counts_the_copy():
    data, model = data_and_model(11)  # 11 samples on 2 ranks: one copy
    one = evaluate(model, DataLoader(data, batch_size=4), metrics())
    options = [
        {"batch_size": 4},
        {"batch_size": 4, "drop_sampler_padding": False},
        {"batch_size": 4, "drop_sampler_padding": False, "sync": False},
    ]  # three calls in one start of the processes
    right, counted, own = run_distributed(evaluate_shard, (model, data, metrics()), options)
    for rank in range(2):
        assert np.array_equal(right[rank]["counts"], one["counts"])
        assert right[rank]["f1"] == one["f1"]
        assert int(counted[rank]["counts"].sum()) == 12  # sample 0 twice
    assert [int(r["counts"].sum()) for r in own] == [6, 6]
    assert np.array_equal(own[0]["counts"] + own[1]["counts"], counted[0]["counts"])


@pytest.mark.slow
def test_evaluate_shard_shuffled_counts_each_sample_once():
    data, model = data_and_model(9)
    one = evaluate(model, DataLoader(data, batch_size=4), metrics())
    many = run_distributed(
        evaluate_shard, (model, data, metrics()), {"shuffle": True, "seed": 3}, world_size=2
    )
    assert all(np.array_equal(r["counts"], one["counts"]) for r in many)


@pytest.mark.slow
def test_warnings_of_the_ranks_are_raised_here():
    with pytest.warns(UserWarning, match=r"\[rank 1\] rank one says so"):
        assert run_distributed(warn_on_rank_one) == [0, 1]


@pytest.mark.slow
def test_a_failing_rank_raises_with_its_traceback():
    with pytest.raises(RuntimeError, match=r"(?s)Rank 1 raised.*rank one failed on purpose"):
        run_distributed(fail_on_rank_one, timeout=60)


@pytest.mark.slow
def test_ranks_that_hang_are_stopped():
    with pytest.raises(TimeoutError, match="did not finish within 3 seconds"):
        run_distributed(sleep_long, timeout=3)


def test_a_function_without_an_importable_name_is_refused():
    def nested():
        return 0

    nested.__module__ = __name__
    for function in (nested, lambda: 0):
        with pytest.raises(TypeError, match="importable by name"):
            run_distributed(function)
    main = type(nested)(nested.__code__, {})
    main.__module__ = "__main__"
    with pytest.raises(TypeError, match="a notebook cell or a script"):
        run_distributed(main)


def test_arguments_that_do_not_pickle_are_refused():
    with pytest.raises(TypeError, match=r"`args\[0\]` to pickle"):
        run_distributed(rank_and_sum, (lambda: 0,))
    with pytest.raises(TypeError, match=r"`kwargs\['offset'\]` to pickle"):
        run_distributed(rank_and_sum, kwargs={"offset": (x for x in [])})
    with pytest.raises(TypeError, match="tuple"):
        run_distributed(rank_and_sum, [1])
    with pytest.raises(TypeError, match="a dict or a list of dicts"):
        run_distributed(rank_and_sum, (0,), [{}, 3])
    with pytest.raises(ValueError, match="empty"):
        run_distributed(rank_and_sum, (0,), [])


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"world_size": 0}, ValueError, "world_size"),
        ({"threads": 0}, ValueError, "threads"),
        ({"backend": "mpi"}, ValueError, "backend"),
        ({"timeout": 0}, ValueError, "timeout"),
        ({"timeout": True}, ValueError, "timeout"),
    ],
)
def test_bad_options_name_the_argument(options, error, match):
    with pytest.raises(error, match=match):
        run_distributed(rank_and_sum, (0,), **options)


@pytest.mark.skipif(torch.cuda.device_count() >= 64, reason="a machine with 64 GPUs")
def test_nccl_without_enough_devices_says_so():
    with pytest.raises(ValueError, match="CUDA devices"):
        run_distributed(rank_and_sum, (0,), world_size=64, backend="nccl")


def test_evaluate_shard_outside_a_process_group_says_so():
    data, model = data_and_model(4)
    with pytest.raises(ValueError, match="run_distributed"):
        evaluate_shard(model, data, ["f1_score"])
