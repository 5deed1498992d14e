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


# --------------------------------------------------------------------------- COURSE_SEED


def test_course_seed_replaces_the_seed_given_and_is_returned(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "3")
    assert seed_everything(0) == 3
    a = torch.rand(4)
    monkeypatch.delenv("COURSE_SEED")
    assert seed_everything(3) == 3
    assert torch.equal(a, torch.rand(4))


def test_empty_course_seed_means_unset(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "")
    assert seed_everything(5) == 5


@pytest.mark.parametrize("value", ["x", "1.5", "-1", str(2**32), "0x10"])
def test_invalid_course_seed_is_a_value_error_naming_it(monkeypatch, value):
    monkeypatch.setenv("COURSE_SEED", value)
    with pytest.raises(ValueError, match="COURSE_SEED") as info:
        seed_everything(0)
    assert repr(value) in str(info.value)


def test_course_seed_does_not_hide_a_bad_seed_argument(monkeypatch):
    monkeypatch.setenv("COURSE_SEED", "1")
    with pytest.raises(TypeError, match="`seed`"):
        seed_everything("0")


def test_fit_uses_its_own_seed_not_course_seed(monkeypatch):
    from course_utils.data import make_long_range_task
    from course_utils.models import SequenceClassifier
    from course_utils.training import fit

    train = make_long_range_task(32, length=5, seed=0)

    def run():
        model = SequenceClassifier(1, 4, 2, seed=0, dropout=0.0)
        return fit(model, train, epochs=2, seed=7, progress=False).train_loss

    plain = run()
    monkeypatch.setenv("COURSE_SEED", "2")
    assert run() == plain
