import random

import numpy as np
import pytest
import torch

from course_utils import seed_everything


def draw():
    return random.random(), np.random.rand(), torch.rand(3)  # noqa: NPY002


def test_same_seed_same_draws_from_python_numpy_and_torch():
    seed_everything(123)
    a = draw()
    seed_everything(123)
    b = draw()
    assert a[0] == b[0]
    assert a[1] == b[1]
    assert torch.equal(a[2], b[2])


def test_different_seeds_differ():
    seed_everything(1)
    a = torch.rand(5)
    seed_everything(2)
    assert not torch.equal(a, torch.rand(5))


def test_makes_torch_deterministic_and_returns_the_seed():
    assert seed_everything(5) == 5
    assert torch.are_deterministic_algorithms_enabled()
    assert torch.backends.cudnn.deterministic
    assert not torch.backends.cudnn.benchmark


def test_threads_sets_torch_thread_count():
    before = torch.get_num_threads()
    try:
        seed_everything(0, threads=1)
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("seed", [1.5, "3", None, True])
def test_rejects_non_integer_seed(seed):
    with pytest.raises(TypeError, match="`seed`"):
        seed_everything(seed)


@pytest.mark.parametrize("seed", [-1, 2**32])
def test_rejects_out_of_range_seed(seed):
    with pytest.raises(ValueError, match=r"`seed` to be an int in \[0, 2\*\*32\)"):
        seed_everything(seed)


def test_rejects_bad_threads():
    with pytest.raises(ValueError, match="`threads`"):
        seed_everything(0, threads=0)
