"""Write the Colab edition of every chapter into colab/ (or check that it is up to date).

The launch button of a chapter page opens ``colab/<stem>.ipynb`` on Colab (``_ext/colab_launch.py``):
a copy of the chapter with its glued numbers written in and its MyST turned into plain
Markdown and HTML (:mod:`course_utils.instructor.colab`). Run this after executing the
chapters (``make notebooks``) and commit the result; ``tests/test_colab_edition.py`` fails
while a committed edition differs from what this writes.

Usage: python tools/colab_edition.py                 # every chapter of _toc.yml
       python tools/colab_edition.py chapters/02_uncertainty.ipynb
       python tools/colab_edition.py --check         # exit 1 if an edition is stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

from course_utils.instructor.colab import Book, colab_edition
from course_utils.instructor.course import toc_chapters

ROOT = Path(__file__).resolve().parents[1]


def edition_text(chapter: Path, book: Book, root: Path = ROOT) -> str:
    """The Colab edition of ``chapter`` as the text written to disk."""
    nb = nbformat.read(chapter, as_version=4)
    docname = chapter.resolve().relative_to(root.resolve()).with_suffix("").as_posix()
    return nbformat.writes(colab_edition(nb, docname=docname, book=book)) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", type=Path, help="default: every chapter")
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root
    book = Book.from_root(root)
    chapters = args.chapters or [root / f"{entry}.ipynb" for entry in toc_chapters(root)]
    folder = root / book.folder
    stale, failed = [], []
    for chapter in chapters:
        target = folder / chapter.name
        try:
            text = edition_text(chapter, book, root)
        except ValueError as error:  # e.g. not executed: say so, and write the others
            print(f"{chapter.name}: no Colab edition: {error}", file=sys.stderr)
            failed.append(chapter)
            continue
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            continue
        if args.check:
            stale.append(target)
            continue
        folder.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"{target.relative_to(root)}: written")
    expected = {chapter.name for chapter in chapters}
    if not args.chapters and folder.is_dir():
        for extra in sorted(folder.glob("*.ipynb")):
            if extra.name not in expected:  # a chapter that left the book
                stale.append(extra) if args.check else extra.unlink()
    if stale:
        names = ", ".join(str(p.relative_to(root)) for p in stale)
        print(f"Stale Colab editions: {names}. Run: python tools/colab_edition.py", file=sys.stderr)
    return 1 if stale or failed else 0


if __name__ == "__main__":
    sys.exit(main())
