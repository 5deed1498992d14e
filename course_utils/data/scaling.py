"""Standardise padded sequences with statistics from the training data only."""

from __future__ import annotations

import torch

from course_utils._validation import as_tensor, check_lengths, check_sequences, lengths_to_mask


class SequenceScaler:
    """Standardise each feature to mean 0 and standard deviation 1, ignoring padding.

    Like scikit-learn's ``StandardScaler``, but for zero-padded ``(batch, time, features)``
    batches: :meth:`fit` averages over the real steps only (``t < lengths[i]``), and
    :meth:`transform` leaves padding at exactly zero. Fit it on the training split alone;
    fitting on all data leaks the test set's statistics into training.

    A scaler fitted on one feature also accepts arrays of any shape, such as forecast
    targets ``(batch, horizon)``: every value is that feature.

    Attributes
    ----------
    mean_ : torch.Tensor
        float64 ``(features,)``, set by :meth:`fit`.
    scale_ : torch.Tensor
        float64 ``(features,)``: the standard deviation, or 1 for a constant feature.

    Examples
    --------
    >>> import torch
    >>> x = torch.tensor([[[1.0], [3.0]], [[5.0], [0.0]]])  # second row: one real step
    >>> lengths = torch.tensor([2, 1])
    >>> scaler = SequenceScaler().fit(x, lengths)
    >>> scaler.mean_.tolist()  # mean of 1, 3 and 5: the padding zero is ignored
    [3.0]
    >>> z = scaler.transform(x, lengths)
    >>> z[..., 0].tolist()
    [[-1.2247447967529297, 0.0], [1.2247447967529297, 0.0]]
    >>> scaler.inverse_transform(z, lengths)[..., 0].tolist()
    [[1.0, 3.0], [5.0, 0.0]]
    """

    def __init__(self):
        self.mean_: torch.Tensor | None = None
        self.scale_: torch.Tensor | None = None

    def fit(self, x, lengths=None) -> SequenceScaler:
        """Learn each feature's mean and standard deviation over real steps.

        Parameters
        ----------
        x : torch.Tensor or numpy.ndarray
            Float ``(N, T, F)``, zero-padded.
        lengths : torch.Tensor, numpy.ndarray or None, default None
            Real steps per row ``(N,)``; None means every step is real.

        Returns
        -------
        SequenceScaler
            ``self``, fitted.

        Raises
        ------
        ValueError
            If ``x`` is not 3-D, ``lengths`` do not fit it (each in ``0..T``), or every
            length is 0.
        TypeError
            If ``x`` is not floating point or ``lengths`` not integer.
        """
        x = check_sequences(x)
        lengths = check_lengths(lengths, n=x.shape[0], max_length=x.shape[1])
        if not lengths.any():
            raise ValueError(
                "Expected at least one real step to fit on, but every entry of `lengths` is 0."
            )
        real = x.cpu().double()[lengths_to_mask(lengths, x.shape[1])]  # (real steps, features)
        self.mean_ = real.mean(dim=0)
        std = real.std(dim=0, correction=0)  # population std, as scikit-learn
        self.scale_ = torch.where(std > 0, std, torch.ones_like(std))
        return self

    def transform(self, x, lengths=None) -> torch.Tensor:
        """Standardise ``x``; padding steps stay zero.

        Parameters
        ----------
        x : torch.Tensor or numpy.ndarray
            Float ``(N, T, F)`` with the fitted number of features (or any shape for a
            scaler fitted on one feature).
        lengths : torch.Tensor, numpy.ndarray or None, default None
            Real steps per row of a 3-D ``x``; None means every step is real.

        Returns
        -------
        torch.Tensor
            Same shape as ``x``, float32 (float64 if ``x`` is float64), on ``x``'s device.

        Raises
        ------
        RuntimeError
            If the scaler has not been fitted.
        ValueError, TypeError
            If ``x`` or ``lengths`` do not fit.
        """
        return self._apply(x, lengths, inverse=False)

    def inverse_transform(self, x, lengths=None) -> torch.Tensor:
        """Undo :meth:`transform`: back to the original units; padding stays zero.

        Parameters and errors are those of :meth:`transform`.

        Returns
        -------
        torch.Tensor
            Same shape as ``x``.
        """
        return self._apply(x, lengths, inverse=True)

    def fit_transform(self, x, lengths=None) -> torch.Tensor:
        """:meth:`fit` then :meth:`transform` on the same (training) data."""
        return self.fit(x, lengths).transform(x, lengths)

    def _apply(self, x, lengths, *, inverse: bool) -> torch.Tensor:
        if self.mean_ is None:
            raise RuntimeError(
                "This SequenceScaler is not fitted yet: call `fit(x_train, lengths_train)` first."
            )
        features = len(self.mean_)
        x = as_tensor(x, name="x")
        if features == 1 and x.ndim != 3:
            if not x.is_floating_point():
                raise TypeError(f"Expected `x` to be floating point, but got dtype {x.dtype}.")
            if lengths is not None:
                raise ValueError("Expected `lengths` to be None for an `x` that is not 3-D.")
            mask = torch.ones_like(x, dtype=torch.bool)
        else:
            x = check_sequences(x, features=features)
            lengths = check_lengths(lengths, n=x.shape[0], max_length=x.shape[1])
            mask = lengths_to_mask(lengths, x.shape[1]).to(x.device)[..., None]  # (batch, time, 1)
        mean = self.mean_.to(x.device, x.dtype)
        scale = self.scale_.to(x.device, x.dtype)
        out = x * scale + mean if inverse else (x - mean) / scale
        return torch.where(mask, out, torch.zeros_like(out))

    def __repr__(self) -> str:
        fitted = "unfitted" if self.mean_ is None else f"features={len(self.mean_)}"
        return f"SequenceScaler({fitted})"
