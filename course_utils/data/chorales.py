"""Bach's chorale melodies as token sequences: a real corpus for next-token models.

music21's wheel (PyPI) ships the scores of about 410 four-part chorales harmonised by J. S.
Bach, the source of the "JSB Chorales" set on which Chung et al. (2014) compared GRUs with
tanh RNNs. Parsing 409 scores takes about a minute, so the derived arrays ship inside this
package (``course_utils/assets/chorales.npz``, a few tens of kilobytes) and
:func:`load_chorales` reads them with NumPy alone: music21 is needed only to rebuild them
(``python tools/make_chorales.py``, which calls :func:`parse_chorales`; a slow test checks
that the shipped file equals a fresh parse).

Tokenisation, chosen to keep the vocabulary small and the task about melody:

- the **soprano line** (the chorale tune) of every score in music21's ``bach`` corpus folder
  that has a part named "Soprano" (MusicXML files; 409 scores, several settings of one tune
  among them);
- one token per **note**, its pitch; a tied note is one note; rests and durations are left
  out;
- **transposed** by the key signature so that every setting has none (C major or A minor),
  moving by at most six semitones (JSB Chorales similarly transposes to a common key): a
  tune set in two keys gives the same tokens;
- the vocabulary is the pitches that occur (MIDI numbers, named ``"C4"``, ``"F#5"``...).

Several chorales share one melody (Bach harmonised some tunes many times, and the corpus
holds a few variants of one setting), so :attr:`TokenSequences.groups` numbers the
**melodies**: two settings belong to one melody when their token sequences have a
:func:`~course_utils.data.sequence_similarity` of at least :data:`MELODY_SIMILARITY`, and
melodies are closed under that link (single linkage). Split with
:func:`~course_utils.data.grouped_split` on these groups so that no tune is in two splits.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from importlib import resources

import numpy as np
import torch

from course_utils.data.tokens import PAD, TokenSequences

__all__ = ["MELODY_SIMILARITY", "load_chorales", "midi_number", "parse_chorales", "pitch_name"]

#: Two settings with at least this :func:`~course_utils.data.sequence_similarity` share a melody.
MELODY_SIMILARITY = 0.7

_ASSET = "chorales.npz"
_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")


def pitch_name(midi: int) -> str:
    """``60 -> "C4"`` (scientific pitch notation, sharps except Eb, Ab and Bb)."""
    return f"{_NAMES[midi % 12]}{midi // 12 - 1}"


def midi_number(name: str) -> int:
    """The inverse of :func:`pitch_name`: ``"C4" -> 60``, ``"Bb4" -> 70``.

    >>> midi_number("C4"), midi_number("F#5"), pitch_name(midi_number("Eb3"))
    (60, 78, 'Eb3')
    """
    if not isinstance(name, str) or len(name) < 2 or name[:-1] not in _NAMES:
        raise ValueError(f"Expected a pitch name such as 'C4' or 'Bb3', but got {name!r}.")
    return 12 * (int(name[-1]) + 1) + _NAMES.index(name[:-1])


def _shift_to_no_accidentals(sharps: int) -> int:
    """Semitones that move a key signature of ``sharps`` (negative: flats) to none."""
    tonic = (7 * sharps) % 12  # pitch class of the major key with that signature
    return -tonic if tonic <= 6 else 12 - tonic


def _soprano_pitches(score) -> tuple[list[int], int] | None:
    """MIDI pitches of the soprano's notes (ties merged, rests dropped), and its signature."""
    parts = [p for p in score.parts if (p.partName or "").strip().lower().startswith("soprano")]
    if not parts:
        return None
    line = parts[0].flatten()
    signatures = list(line.getElementsByClass("KeySignature"))
    sharps = int(signatures[0].sharps) if signatures else 0
    pitches = []
    for note in line.notes:
        if note.isChord:  # a divided soprano: keep the top note
            pitch = max(p.midi for p in note.pitches)
        else:
            pitch = note.pitch.midi
        if note.tie is not None and note.tie.type in ("stop", "continue"):
            continue  # the same note, held over a bar line
        pitches.append(int(pitch))
    return pitches, sharps


def _melody_groups(sequences: list[list[int]]) -> np.ndarray:
    """Single-linkage groups of sequences at least MELODY_SIMILARITY alike, numbered in order."""
    n = len(sequences)
    parent = list(range(n))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    import difflib

    for i in range(n):
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(sequences[i])
        for j in range(i):
            matcher.set_seq1(sequences[j])
            if (
                matcher.real_quick_ratio() >= MELODY_SIMILARITY
                and matcher.quick_ratio() >= MELODY_SIMILARITY
                and matcher.ratio() >= MELODY_SIMILARITY
            ):
                parent[root(i)] = root(j)
    roots = [root(i) for i in range(n)]
    first = {}
    for r in roots:
        first.setdefault(r, len(first))
    return np.array([first[r] for r in roots], dtype=np.int64)


def parse_chorales() -> dict[str, np.ndarray]:
    """Parse the chorales in music21's corpus into the arrays :func:`load_chorales` reads.

    Needs music21 (``pip install music21``; the ``data`` extra of course_utils). About a
    minute on one core.

    Returns
    -------
    dict of str to numpy.ndarray
        ``pitches`` int16 (all real tokens' MIDI pitches, transposed, one chorale after the
        other), ``offsets`` int64 ``(N + 1,)`` (chorale ``i`` is
        ``pitches[offsets[i]:offsets[i + 1]]``), ``names`` str ``(N,)`` (the score's file
        name without its extension, e.g. ``"bwv1.6"``), ``sharps`` int8 ``(N,)`` (the key
        signature before transposing) and ``melody`` int64 ``(N,)``.

    Raises
    ------
    ImportError
        If music21 is not installed (the message says how to install it).
    """
    try:
        from music21 import corpus
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "parse_chorales needs music21: `pip install music21` (or "
            "`pip install course_utils[data]`). load_chorales() needs nothing extra."
        ) from error
    paths = sorted(
        (p for p in corpus.getComposer("bach") if p.suffix in (".mxl", ".xml")),
        key=lambda p: p.name,
    )
    names, sequences, sharps = [], [], []
    for path in paths:
        found = _soprano_pitches(corpus.parse(path))
        if found is None or not found[0]:
            continue
        pitches, signature = found
        shift = _shift_to_no_accidentals(signature)
        names.append(path.name.rsplit(".", 1)[0])
        sequences.append([p + shift for p in pitches])
        sharps.append(signature)
    lengths = np.array([len(s) for s in sequences], dtype=np.int64)
    return {
        "pitches": np.concatenate([np.asarray(s, dtype=np.int16) for s in sequences]),
        "offsets": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        "names": np.array(names),
        "sharps": np.array(sharps, dtype=np.int8),
        "melody": _melody_groups(sequences),
    }


@lru_cache(maxsize=1)
def _read_asset() -> dict[str, np.ndarray]:
    with resources.files("course_utils").joinpath("assets", _ASSET).open("rb") as handle:
        with np.load(handle, allow_pickle=False) as data:
            return {key: data[key] for key in data.files}


def _corpus(arrays: dict[str, np.ndarray]) -> TokenSequences:
    pitches, offsets = arrays["pitches"].astype(np.int64), arrays["offsets"]
    vocabulary_midi = np.unique(pitches)
    lengths = np.diff(offsets)
    tokens = np.full((len(lengths), int(lengths.max())), PAD, dtype=np.int64)
    ids = np.searchsorted(vocabulary_midi, pitches)
    for i, (start, stop) in enumerate(itertools.pairwise(offsets)):
        tokens[i, : stop - start] = ids[start:stop]
    return TokenSequences(
        tokens=torch.from_numpy(tokens),
        lengths=torch.from_numpy(lengths.astype(np.int64)),
        vocabulary=tuple(pitch_name(int(m)) for m in vocabulary_midi),
        names=tuple(str(n) for n in arrays["names"]),
        groups=arrays["melody"].astype(np.int64),
    )


def load_chorales() -> TokenSequences:
    """The soprano lines of 409 Bach chorales, as note tokens (read from a shipped file).

    See the module's docstring for the tokenisation. Loading needs only NumPy and torch.

    Returns
    -------
    TokenSequences
        ``tokens`` int64 ``(409, 185)`` padded with :data:`~course_utils.data.PAD`,
        ``lengths`` (23 to 185 notes, median 48), ``vocabulary`` (31 pitch names, lowest
        first), ``names`` (BWV numbers such as ``"bwv1.6"``) and ``groups`` (melody ids:
        split with ``grouped_split(corpus.groups)``).

    Examples
    --------
    >>> corpus = load_chorales()
    >>> corpus
    TokenSequences(409 sequences, 21163 tokens, vocab_size=31, longest=185)
    >>> corpus.decode(0)[:6]
    ['C4', 'G4', 'E4', 'C4', 'G4', 'A4']
    >>> int(corpus.groups.max()) + 1  # distinct melodies
    237
    """
    return _corpus(_read_asset())
