"""Rebuild ``course_utils/assets/chorales.npz`` from music21's corpus (about a minute).

    .venv/bin/python tools/make_chorales.py

The file holds the arrays of :func:`course_utils.data.chorales.parse_chorales`; the loader
:func:`course_utils.data.load_chorales` reads it without music21. ``tests/test_chorales.py``
has a slow test that a fresh parse equals the shipped file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from course_utils.data.chorales import _ASSET, parse_chorales  # noqa: E402


def main() -> int:
    arrays = parse_chorales()
    target = ROOT / "course_utils" / "assets" / _ASSET
    np.savez_compressed(target, **arrays)
    n = len(arrays["names"])
    print(
        f"wrote {target.relative_to(ROOT)}: {n} chorales, {len(arrays['pitches'])} notes, "
        f"{int(arrays['melody'].max()) + 1} melodies, {target.stat().st_size} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
