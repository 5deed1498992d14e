"""Where the course lives: the chapters folder, its chapters, and the book's table of contents.

The instructor tools work on the repository's notebooks. With ``pip install -e .`` (what
``make install`` does) the package sits next to ``chapters/``, so that folder is the default;
a ``course_utils`` installed on its own has no chapters, and the tools say so and ask for the
folder (``--chapters DIR`` on the command line).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_utils.book.ids import QUIZ_ID
from course_utils.book.renames import current_name

# `course_utils/instructor/course.py` -> parents[2] is the repository root in a clone.
REPO_ROOT = Path(__file__).resolve().parents[2]
CHAPTER_GLOB = "[0-9][0-9]_*.ipynb"  # chapters are `NN_topic.ipynb` (CONTRIBUTING.md)
BANK_SUFFIXES = (".yaml", ".yml", ".json")  # what course_utils.quiz.load_bank reads


def find_chapters_dir(chapters_dir: str | Path | None = None) -> Path:
    """The folder that holds the chapter notebooks.

    Parameters
    ----------
    chapters_dir : str, pathlib.Path or None, default None
        An explicit folder. By default, ``chapters/`` of the repository that this
        ``course_utils`` was installed from (an editable install inside a clone).

    Returns
    -------
    pathlib.Path
        The folder, resolved.

    Raises
    ------
    TypeError
        If ``chapters_dir`` is not a str, a path or None.
    ValueError
        If the folder does not exist, for the default one with a hint that ``course_utils``
        is installed without the course repository.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> find_chapters_dir(folder) == Path(folder).resolve()
    True
    """
    if chapters_dir is None:
        default = REPO_ROOT / "chapters"
        if not default.is_dir():
            raise ValueError(
                f"No chapters folder at {default}: course_utils seems to be installed without the "
                "course repository. Pass `--chapters DIR` (API: `chapters_dir=`) with the "
                "chapters/ folder of a clone of the course."
            )
        return default
    if not isinstance(chapters_dir, str | Path):
        raise TypeError(
            f"Expected `chapters_dir` to be a str, a Path or None, but got {type(chapters_dir).__name__}."
        )
    folder = Path(chapters_dir).expanduser().resolve()
    if not folder.is_dir():
        raise ValueError(
            f"Expected `chapters_dir` to be an existing folder of chapter notebooks, but {folder} "
            "is not a folder."
        )
    return folder


def available_chapters(chapters_dir: str | Path | None = None) -> list[str]:
    """Stems of the chapter notebooks (``NN_topic.ipynb``) in the chapters folder, sorted.

    Parameters
    ----------
    chapters_dir : str, pathlib.Path or None, default None
        As for :func:`find_chapters_dir`.

    Returns
    -------
    list of str
        For example ``["01_rnn_metrics", "03_gru_metrics"]``; empty if there are none yet.

    Raises
    ------
    TypeError, ValueError
        As for :func:`find_chapters_dir`.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ["02_b.ipynb", "01_a.ipynb", "notes.ipynb"]:
    ...     _ = (folder / name).write_text("{}")
    >>> available_chapters(folder)
    ['01_a', '02_b']
    """
    folder = find_chapters_dir(chapters_dir)
    return sorted(path.stem for path in folder.glob(CHAPTER_GLOB))


def resolve_chapters(chapters, *, chapters_dir: str | Path | None = None) -> list[Path]:
    """The notebook paths of the chapters named, in the order given, without repeats.

    Parameters
    ----------
    chapters : iterable of str
        Chapter stems such as ``"03_gru_metrics"`` (a trailing ``.ipynb`` is accepted).
    chapters_dir : str, pathlib.Path or None, default None
        As for :func:`find_chapters_dir`.

    Returns
    -------
    list of pathlib.Path
        One path per distinct chapter.

    Raises
    ------
    TypeError
        If ``chapters`` is a single string or holds something other than strings.
    ValueError
        If ``chapters`` is empty or names a chapter that does not exist; the message lists the
        valid ones.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "01_a.ipynb").write_text("{}")
    >>> [p.name for p in resolve_chapters(["01_a", "01_a.ipynb"], chapters_dir=folder)]
    ['01_a.ipynb']
    >>> resolve_chapters(["09_z"], chapters_dir=folder)
    Traceback (most recent call last):
    ...
    ValueError: Unknown chapter '09_z'. Valid chapters: 01_a.
    """
    if isinstance(chapters, str) or not hasattr(chapters, "__iter__"):
        raise TypeError(
            f"Expected `chapters` to be a list of chapter stems, but got {type(chapters).__name__}."
        )
    names = list(chapters)
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"Expected each chapter to be a str, but got {type(name).__name__}.")
    if not names:
        raise ValueError("Expected at least one chapter in `chapters`, but got none.")
    folder = find_chapters_dir(chapters_dir)
    valid = available_chapters(folder)
    paths: list[Path] = []
    for name in names:
        stem = name.removesuffix(".ipynb")
        if stem not in valid and current_name(stem) in valid:
            stem = current_name(stem)  # a renamed chapter's former stem
        if stem not in valid:
            listed = ", ".join(valid) if valid else f"none yet in {folder}"
            raise ValueError(f"Unknown chapter {name!r}. Valid chapters: {listed}.")
        path = folder / f"{stem}.ipynb"
        if path not in paths:
            paths.append(path)
    return paths


@dataclass(frozen=True)
class TocEntry:
    """One page of the book's ``_toc.yml``: its ``file`` entry without the suffix."""

    file: str

    @property
    def is_chapter(self) -> bool:
        """True for the course's chapters (entries under ``chapters/``)."""
        return self.file.startswith("chapters/")


def read_toc(root: str | Path) -> list[TocEntry]:
    """Every page of a Jupyter Book's ``_toc.yml``, root page first, in book order.

    The one reader of ``_toc.yml`` (the instructor tools, ``tools/make_pdf.py`` and the tests
    use it; ``tests/test_chapters.py`` checks that nothing else parses the file).

    Parameters
    ----------
    root : str or pathlib.Path
        The book's root folder (the one with ``_toc.yml``).

    Returns
    -------
    list of TocEntry
        One per page, e.g. ``TocEntry("intro")``, ``TocEntry("chapters/01_rnn_metrics")``.

    Raises
    ------
    TypeError
        If ``root`` is not a str or a path.
    ValueError
        If ``root`` has no readable ``_toc.yml``.

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "_toc.yml").write_text(
    ...     "format: jb-book\\nroot: intro\\nparts:\\n  - chapters:\\n"
    ...     "      - file: how_to_use\\n      - file: chapters/01_a.ipynb\\n")
    >>> [entry.file for entry in read_toc(root)]
    ['intro', 'how_to_use', 'chapters/01_a']
    """
    if not isinstance(root, str | Path):
        raise TypeError(f"Expected `root` to be a str or Path, but got {type(root).__name__}.")
    toc_path = Path(root) / "_toc.yml"
    if not toc_path.is_file():
        raise ValueError(
            f"Expected `root` to be the book's folder with a _toc.yml, but {toc_path} is missing."
        )
    import yaml

    try:
        toc = yaml.safe_load(toc_path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ValueError(f"{toc_path}: not valid YAML ({err}).") from err
    files = _toc_files({"file": toc["root"]}) if isinstance(toc, dict) and "root" in toc else []
    return [TocEntry(name) for name in files + _toc_files(toc)]


def toc_chapters(root: str | Path) -> list[str]:
    """The chapter entries of a Jupyter Book's ``_toc.yml``, in book order.

    Only entries under ``chapters/`` count: front pages and this guide are not chapters.
    Read through :func:`read_toc` (same parameters and errors).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> _ = (root / "_toc.yml").write_text(
    ...     "format: jb-book\\nroot: intro\\nparts:\\n  - chapters:\\n"
    ...     "      - file: how_to_use\\n      - file: chapters/01_a\\n")
    >>> toc_chapters(root)
    ['chapters/01_a']
    """
    return [entry.file for entry in read_toc(root) if entry.is_chapter]


def _toc_files(node) -> list[str]:
    """Every `file:` entry of a (nested) table of contents, in order."""
    found: list[str] = []
    if isinstance(node, dict):
        if isinstance(node.get("file"), str):
            found.append(node["file"].removesuffix(".ipynb").removesuffix(".md"))
        for key in ("parts", "chapters", "sections"):
            found += _toc_files(node.get(key))
    elif isinstance(node, list):
        for item in node:
            found += _toc_files(item)
    return found


def check_bank_dir(bank_dir: str | Path | None) -> Path | None:
    """Validate the ``bank_dir`` option: None, or an existing folder of quiz banks.

    Examples
    --------
    >>> check_bank_dir(None) is None
    True
    >>> check_bank_dir("/no/such/folder")
    Traceback (most recent call last):
    ...
    ValueError: Expected `bank_dir` to be a folder of quiz banks, but /no/such/folder is not one.
    """
    if bank_dir is None:
        return None
    if not isinstance(bank_dir, str | Path):
        raise TypeError(
            f"Expected `bank_dir` to be a str, a Path or None, but got {type(bank_dir).__name__}."
        )
    folder = Path(bank_dir)
    if not folder.is_dir():
        raise ValueError(
            f"Expected `bank_dir` to be a folder of quiz banks, but {folder} is not one."
        )
    return folder


def load_quiz_bank(name: str, *, bank_dir: Path | None = None):
    """The bank of quiz ``name``: ``bank_dir/<name>.yaml`` (or .yml, .json) if ``bank_dir``
    holds one, else the one shipped in ``course_utils/quizzes/``.

    Raises
    ------
    ValueError
        If there is no such bank or it is invalid (the message names the file).

    Examples
    --------
    >>> load_quiz_bank("01_rnn_metrics").quiz
    '01_rnn_metrics'
    """
    from course_utils.quiz import load_bank

    if bank_dir is None:
        return load_bank(name)
    if not QUIZ_ID.match(name):  # never build a file name from an arbitrary string
        raise ValueError(f"Expected a quiz id such as '01_rnn_metrics', but got {name!r}.")
    for stem in dict.fromkeys([name, current_name(name)]):  # a renamed quiz: either name
        for suffix in BANK_SUFFIXES:
            if (Path(bank_dir) / f"{stem}{suffix}").is_file():
                return load_bank(Path(bank_dir) / f"{stem}{suffix}")
    return load_bank(name)
