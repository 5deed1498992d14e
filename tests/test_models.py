"""Tests for course_utils.models: shapes, packing, seeding and bad input."""

from __future__ import annotations

import pytest
import torch

from course_utils.models import Forecaster, SequenceClassifier, SequenceTagger

CELLS = ["rnn", "gru"]


def _batch(n=6, steps=15, features=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, steps, features, generator=g)
    lengths = torch.randint(1, steps + 1, (n,), generator=g)
    lengths[0] = steps  # one full row
    x[torch.arange(steps)[None, :] >= lengths[:, None]] = 0.0  # zero padding
    return x, lengths


def _with_more_padding(x, lengths, extra=7, garbage=False):
    """The same batch padded further; garbage=True also fills all padding with noise."""
    x = torch.cat([x, torch.zeros(x.shape[0], extra, x.shape[2])], dim=1)
    if garbage:
        pad = torch.arange(x.shape[1])[None, :] >= lengths[:, None]
        x[pad] = 100 * torch.randn(int(pad.sum()), x.shape[2])
    return x


def _models(cell, bidirectional=False):
    kwargs = {"cell": cell, "seed": 0}
    return {
        "classifier": SequenceClassifier(4, 8, 3, bidirectional=bidirectional, **kwargs),
        "tagger": SequenceTagger(4, 8, 3, bidirectional=bidirectional, **kwargs),
    }


# --------------------------------------------------------------------------- shapes


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_output_shapes(cell, bidirectional):
    x, lengths = _batch()
    models = _models(cell, bidirectional)
    assert models["classifier"](x, lengths).shape == (6, 3)
    assert models["tagger"](x, lengths).shape == (6, 15, 3)
    assert Forecaster(4, 8, horizon=2, cell=cell, seed=0)(x, lengths).shape == (6, 2)


def test_stacked_layers_with_dropout():
    x, lengths = _batch()
    model = SequenceClassifier(4, 8, 3, num_layers=2, dropout=0.5, seed=0).eval()
    assert model.encoder.rnn.num_layers == 2 and model.encoder.rnn.dropout == 0.5
    assert model(x, lengths).shape == (6, 3)


def test_lengths_none_means_full_rows():
    x, _ = _batch()
    model = SequenceClassifier(4, 8, 3, seed=0)
    full = torch.full((6,), 15)
    assert torch.equal(model(x), model(x, full))


def test_numpy_input_is_accepted():
    x, lengths = _batch()
    model = SequenceClassifier(4, 8, 3, seed=0)
    assert torch.allclose(model(x.numpy(), lengths.numpy()), model(x, lengths))


# --------------------------------------------------------------------------- packing


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("garbage", [False, True])
def test_extra_padding_never_changes_the_output(cell, bidirectional, garbage):
    x, lengths = _batch()
    longer = _with_more_padding(x, lengths, garbage=garbage)
    for name, model in _models(cell, bidirectional).items():
        a, b = model(x, lengths), model(longer, lengths)
        if name == "tagger":
            b = b[:, : x.shape[1]]
            real = torch.arange(x.shape[1])[None, :] < lengths[:, None]
            a, b = a[real], b[real]
        assert torch.allclose(a, b, atol=1e-6), name
    forecaster = Forecaster(4, 8, cell=cell, seed=0)
    assert torch.allclose(forecaster(x, lengths), forecaster(longer, lengths), atol=1e-6)


@pytest.mark.parametrize("cell", CELLS)
def test_a_sequence_gives_the_same_output_alone_or_in_a_batch(cell):
    x, lengths = _batch()
    model = SequenceClassifier(4, 8, 3, cell=cell, seed=0)
    batch = model(x, lengths)
    for i in range(len(x)):
        alone = model(x[i : i + 1, : lengths[i]], lengths[i : i + 1])
        assert torch.allclose(alone, batch[i : i + 1], atol=1e-6)


def test_padding_is_not_what_an_unpacked_rnn_would_read():
    """Guard against a model that ignores lengths: reading the padding changes the answer."""
    x, lengths = _batch()
    model = SequenceClassifier(4, 8, 3, seed=0)
    with_lengths = model(x, lengths)
    reading_padding = model(x)  # lengths=None: every step, padding included, is "real"
    short = lengths < x.shape[1]
    assert not torch.allclose(with_lengths[short], reading_padding[short])


def test_tagger_logits_at_padding_are_the_head_bias():
    x, lengths = _batch()
    model = SequenceTagger(4, 8, 3, seed=0)
    out = model(x, lengths)
    pad = torch.arange(x.shape[1])[None, :] >= lengths[:, None]
    assert torch.allclose(out[pad], model.head.bias.expand(int(pad.sum()), 3))


# --------------------------------------------------------------------------- forecaster


def test_residual_forecaster_starts_from_the_last_real_value():
    x, lengths = _batch(features=2)
    model = Forecaster(2, 8, horizon=3, target=1, seed=0)
    with torch.no_grad():
        model.head.weight.zero_()
        model.head.bias.zero_()
    last = x[torch.arange(len(x)), lengths - 1, 1]
    assert torch.equal(model(x, lengths), last[:, None].expand(-1, 3))
    direct = Forecaster(2, 8, horizon=3, residual=False, seed=0)
    with torch.no_grad():
        direct.head.weight.zero_()
        direct.head.bias.zero_()
    assert bool((direct(x, lengths) == 0).all())


# --------------------------------------------------------------------------- seeding


def test_seed_gives_identical_weights_and_leaves_global_rng_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    a = SequenceClassifier(4, 8, 3, seed=7)
    after = torch.rand(3)
    b = SequenceClassifier(4, 8, 3, seed=7)
    c = SequenceClassifier(4, 8, 3, seed=8)
    assert torch.equal(after, expected)  # building a seeded model drew nothing globally
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert not torch.equal(a.head.weight, c.head.weight)


def test_update_gate_bias_starts_the_gru_keeping_its_state():
    model = SequenceClassifier(1, 16, 2, update_gate_bias=3.0, seed=0)
    rnn = model.encoder.rnn
    assert bool((rnn.bias_ih_l0[16:32] == 3.0).all()) and bool((rnn.bias_hh_l0[16:32] == 0).all())
    # A fresh GRU started this way still remembers step 0 after 50 steps of zeros ...
    x = torch.zeros(2, 50, 1)
    x[0, 0, 0], x[1, 0, 0] = 1.0, -1.0
    h = model.encoder.encode(x, torch.tensor([50, 50]))
    plain = SequenceClassifier(1, 16, 2, seed=0).encoder.encode(x, torch.tensor([50, 50]))
    # ... much more than one with PyTorch's default initialisation.
    assert (h[0] - h[1]).abs().max() > 10 * (plain[0] - plain[1]).abs().max()


def test_update_gate_bias_covers_every_layer_and_direction():
    model = SequenceTagger(2, 4, 2, num_layers=2, bidirectional=True, update_gate_bias=2.0)
    biases = [p for n, p in model.encoder.rnn.named_parameters() if n.startswith("bias_ih")]
    assert len(biases) == 4
    assert all(bool((b[4:8] == 2.0).all()) for b in biases)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("model_class", [SequenceClassifier, SequenceTagger])
def test_unknown_cell_names_the_choices(model_class):
    with pytest.raises(ValueError, match=r"`cell` to be one of 'rnn', 'gru', but got 'lstm'"):
        model_class(4, 8, 3, cell="lstm")


def test_unknown_cell_forecaster():
    with pytest.raises(ValueError, match="`cell` to be one of 'rnn', 'gru'"):
        Forecaster(1, 8, cell="GRU")


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"hidden_size": 0}, ValueError, "`hidden_size` to be an int >= 1, but got 0"),
        ({"hidden_size": 8.0}, TypeError, "`hidden_size` to be an int, but got float"),
        ({"num_classes": 1}, ValueError, "`num_classes` to be an int >= 2"),
        ({"dropout": 1.0}, ValueError, r"`dropout` to be a float in \[0.0, 1.0\)"),
        ({"bidirectional": 1}, TypeError, "`bidirectional` to be a bool"),
        ({"num_layers": 0}, ValueError, "`num_layers` to be an int >= 1"),
        ({"cell": "rnn", "update_gate_bias": 1.0}, ValueError, "a plain RNN has no update gate"),
        ({"seed": -3}, ValueError, "`seed`"),
    ],
)
def test_bad_constructor_arguments(kwargs, error, match):
    args = {"input_size": 4, "hidden_size": 8, "num_classes": 3} | kwargs
    with pytest.raises(error, match=match):
        SequenceClassifier(args.pop("input_size"), args.pop("hidden_size"), **args)


def test_bad_forecaster_arguments():
    with pytest.raises(ValueError, match=r"`target` to be an int in \[0, 1\], but got 2"):
        Forecaster(2, 8, target=2)
    with pytest.raises(TypeError, match="`residual` to be a bool"):
        Forecaster(2, 8, residual="yes")
    with pytest.raises(ValueError, match="`horizon` to be an int >= 1"):
        Forecaster(2, 8, horizon=0)


@pytest.mark.parametrize(
    ("x", "lengths", "error", "match"),
    [
        (torch.randn(3, 5), None, ValueError, r"shape \(batch, time, features\).*\(3, 5\)"),
        (torch.randn(3, 5, 2), None, ValueError, "`x` to have 4 features .* but got 2"),
        (torch.ones(3, 5, 4, dtype=torch.int64), None, TypeError, "floating-point.*x.float()"),
        (torch.randn(3, 5, 4), torch.tensor([5, -1, 2]), ValueError, r"in \[0, 5\].*got -1"),
        (torch.randn(3, 5, 4), torch.tensor([5, 6, 2]), ValueError, r"in \[0, 5\].*got 6"),
        (
            torch.randn(3, 5, 4),
            torch.tensor([5, 1, 2]) > 0,
            TypeError,
            "`lengths` to be an integer",
        ),
        (torch.randn(3, 5, 4), torch.tensor([5, 2]), ValueError, r"`lengths` to have shape \(3,\)"),
        (torch.randn(3, 5, 4), torch.tensor([5.0, 2, 1]), TypeError, "`lengths` to be an integer"),
        (torch.randn(0, 5, 4), None, ValueError, "at least one sequence"),
        ("abc", None, TypeError, "`x` to be a torch.Tensor or numpy.ndarray"),
    ],
)
def test_bad_batches(x, lengths, error, match):
    model = SequenceClassifier(4, 8, 3, seed=0)
    with pytest.raises(error, match=match):
        model(x, lengths)


def test_float64_input_runs_in_the_model_dtype():
    x, lengths = _batch()
    model = SequenceClassifier(4, 8, 3, seed=0)
    assert torch.allclose(model(x.double(), lengths), model(x, lengths))
    assert torch.allclose(model.double()(x, lengths).float(), model.float()(x, lengths), atol=1e-6)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_batch_with_cpu_lengths():
    x, lengths = _batch()
    model = SequenceClassifier(4, 8, 3, seed=0)
    expected = model(x, lengths)
    out = model.cuda()(x.cuda(), lengths)
    assert out.device.type == "cuda"
    # cuDNN may use TF32 matmuls (about 3 decimal digits), hence the loose tolerance.
    assert torch.allclose(out.cpu(), expected, atol=1e-3)
    forecaster = Forecaster(4, 8, seed=0)
    expected = forecaster(x, lengths)
    assert torch.allclose(forecaster.cuda()(x.cuda(), lengths.cuda()).cpu(), expected, atol=1e-3)


# --------------------------------------------------------------------------- empty sequences


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("bidirectional", [False, True])
def test_an_empty_sequence_is_read_as_the_initial_state(cell, bidirectional):
    """The package's lengths rule: 0..T; length 0 means no step, so the state stays zero."""
    x, lengths = _batch()
    lengths[2] = 0
    x[2] = 100 * torch.randn(15, 4)  # whatever the padding holds
    models = _models(cell, bidirectional)
    classifier, tagger = models["classifier"], models["tagger"]
    logits = classifier(x, lengths)
    assert torch.equal(logits[2], classifier.head.bias)
    tags = tagger(x, lengths)
    assert torch.equal(tags[2], tagger.head.bias.expand(15, 3))
    others = torch.tensor([0, 1, 3, 4, 5])  # the other rows do not notice the empty one
    assert torch.allclose(logits[others], classifier(x[others], lengths[others]), atol=1e-6)
    assert torch.allclose(tags[others], tagger(x[others], lengths[others]), atol=1e-6)


def test_an_empty_window_forecasts_the_change_from_zero():
    x, lengths = _batch()
    lengths[1] = 0
    model = Forecaster(4, 8, horizon=2, seed=0)
    assert torch.equal(model(x, lengths)[1], model.head.bias)


def test_gradients_flow_with_empty_sequences_in_the_batch():
    x, lengths = _batch()
    lengths[:2] = 0
    model = SequenceClassifier(4, 8, 3, seed=0)
    model(x, lengths).sum().backward()
    assert all(torch.isfinite(p.grad).all() for p in model.parameters())
