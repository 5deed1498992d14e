"""Hand out chapters: student editions, an answer key, and one zip for the learners.

``assign(["03_gru_metrics"], out="week2")`` writes::

    week2/student/03_gru_metrics.ipynb                 solutions replaced by stubs
    week2/student/README.md                            how to run the notebooks
    week2/answer_key/03_gru_metrics.ipynb              the full chapter, solutions included
    week2/answer_key/03_gru_metrics_quiz_answers.md    every quiz question, answer, explanation
    week2/student.zip                                  the student/ folder, to hand out

Same chapters in, byte-identical files out: notebooks are written by ``nbformat`` (sorted keys)
with stub cell ids derived from exercise labels, and the zip's entries are sorted, with fixed
timestamps and permissions.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from course_utils.instructor.answer_key import quiz_answer_key
from course_utils.instructor.course import check_bank_dir, load_quiz_bank, resolve_chapters
from course_utils.instructor.notebook import quiz_names, read_chapter, read_notebook
from course_utils.instructor.student import student_edition

# What `assign` writes into `out` (and what `force=True` replaces; nothing else is touched).
OUTPUTS = ("student", "answer_key", "student.zip")
# Where learners without the course environment install course_utils from (the book's repo).
REPOSITORY = "https://github.com/rnn-eval-course/rnn-eval-course"
INSTALL_SPEC = f"course_utils[notebooks] @ git+{REPOSITORY}"
SETUP_TAG = "course-setup"
# The chapters' own set-up cell (tools/execute_notebooks.py adds it, pinned to the book's
# version): a chapter that has one keeps it, and gets no second one.
CHAPTER_SETUP_TAGS = ("setup-install", SETUP_TAG)
SETUP_SOURCE = f"""\
# Setup, added by `course-utils assign` (see README.md): installs course_utils if this Python
# lacks it, for example on Colab. In the course environment (`make lab`) it does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("course_utils") is None:
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "myst-nb", {INSTALL_SPEC!r}],
        check=True,
    )"""
STUDENT_README = f"""\
# Your notebooks

Each `.ipynb` file here is a chapter of the course *Evaluating recurrent models in PyTorch*,
with the exercise solutions taken out: where a solution was, a **Your turn** cell names the
exercise and an empty code cell waits for your answer.

## Running them

- **In the course environment** (recommended): in a clone of the course repository
  ({REPOSITORY}), run `make lab` (it installs everything the first time, then opens
  JupyterLab), and open these notebooks from there.
- **On Colab or Binder**: upload a notebook (Colab: *File > Upload notebook*) or open the
  chapter with the launch button on its book page.
- **Anywhere else**: any Jupyter with Python 3.10 or newer.

Run the cells from the top. The first code cell installs `course_utils` (and the few packages
the chapters need) when it is missing, with `pip`, from the course repository; where it is
already installed, for example in the course environment, that cell does nothing.

## Quizzes

Each chapter ends with a quiz. Answer it, press **Check**, then press **Save** (or run
`quiz.save()`) to write `<quiz>-<your name>-answers.json` next to the notebook, and hand that
file in if your instructor asks for it. The quizzes are for checking yourself: the answers are
in the book's pages, so they are self-assessment, not exams.
"""
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold: no build time leaks in


@dataclass(frozen=True)
class Assignment:
    """What :func:`assign` wrote.

    Attributes
    ----------
    out : pathlib.Path
        The output folder.
    student : tuple of pathlib.Path
        The student editions, one per chapter, in the order given.
    answer_key : tuple of pathlib.Path
        The full notebooks and the ``*_quiz_answers.md`` files.
    zip : pathlib.Path
        ``out/student.zip``.
    solutions : dict of str to int
        For each chapter stem, how many solutions were replaced by stubs.
    """

    out: Path
    student: tuple[Path, ...]
    answer_key: tuple[Path, ...]
    zip: Path
    solutions: dict[str, int]


def assign(
    chapters,
    *,
    out: str | Path,
    chapters_dir: str | Path | None = None,
    bank_dir: str | Path | None = None,
    force: bool = False,
) -> Assignment:
    """Write student editions, an answer key and ``student.zip`` for some chapters.

    Parameters
    ----------
    chapters : list of str
        Chapter stems, e.g. ``["01_rnn_metrics", "03_gru_metrics"]``.
    out : str or pathlib.Path
        Output folder. It may exist if it is empty.
    chapters_dir : str, pathlib.Path or None, default None
        Where the chapter notebooks are; by default the repository's ``chapters/``.
    bank_dir : str, pathlib.Path or None, default None
        A folder of quiz banks (``<quiz>.yaml``) that take precedence over the ones shipped in
        ``course_utils/quizzes/`` (for a bank you edited).
    force : bool, default False
        Write into a non-empty ``out``: ``out/student/``, ``out/answer_key/`` and
        ``out/student.zip`` are replaced; other files there are left alone.

    Returns
    -------
    Assignment
        The paths written and the number of solutions replaced per chapter.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If a chapter is unknown (the message lists the valid ones), ``out`` is a file or a
        non-empty folder without ``force``, a chapter's solution markers are malformed, a
        solution cannot be removed with certainty (see
        :func:`~course_utils.instructor.notebook.read_chapter`), or a quiz it shows has no
        valid bank. Nothing is written then.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> import nbformat.v4 as v4, nbformat
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "chapters").mkdir()
    >>> tag = {"tags": ["solution"]}
    >>> nb = v4.new_notebook(cells=[
    ...     v4.new_markdown_cell("# 1. Demo\\n\\n:::{exercise}\\n:label: ex-1\\nPrint 42.\\n:::"),
    ...     v4.new_markdown_cell(":::{solution-start} ex-1\\n:::", metadata=tag),
    ...     v4.new_code_cell("print(6 * 7)", metadata=tag),
    ...     v4.new_markdown_cell(":::{solution-end}\\n:::", metadata=tag),
    ...     v4.new_code_cell('Quiz("01_rnn_metrics")')])
    >>> nbformat.write(nb, root / "chapters" / "01_demo.ipynb")
    >>> done = assign(["01_demo"], out=root / "out", chapters_dir=root / "chapters")
    >>> sorted(str(p.relative_to(done.out)) for p in done.out.rglob("*") if p.is_file())
    ... # doctest: +NORMALIZE_WHITESPACE
    ['answer_key/01_demo.ipynb', 'answer_key/01_demo_quiz_answers.md',
     'student.zip', 'student/01_demo.ipynb', 'student/README.md']
    >>> done.solutions
    {'01_demo': 1}
    >>> "6 * 7" in (done.out / "student" / "01_demo.ipynb").read_text()
    False
    >>> zipfile.ZipFile(done.zip).namelist()
    ['student/01_demo.ipynb', 'student/README.md']
    """
    if not isinstance(force, bool):
        raise TypeError(f"Expected `force` to be a bool, but got {type(force).__name__}.")
    paths = resolve_chapters(chapters, chapters_dir=chapters_dir)
    out = _check_out(out, force=force)
    banks_folder = check_bank_dir(bank_dir)
    import nbformat  # after validation: it takes seconds to import on some machines

    from course_utils.instructor.solutions import book_syntax, find_book_config

    # Solutions are found as the book renders them: with the MyST settings of its _config.yml.
    syntax = book_syntax(find_book_config(paths[0].parent))
    # Build everything in memory first: a broken chapter must not leave a half-written folder.
    prepared = []
    for path in paths:
        nb = read_notebook(path)
        try:
            student = student_edition(nb, syntax=syntax)
            reading = read_chapter(nb, syntax=syntax)
            n_solutions = len(reading.solutions) + len(reading.directives)
        except ValueError as err:
            raise ValueError(f"{path}: {err}") from err
        key = _quiz_key(path, quiz_names(nb), banks_folder)
        prepared.append((path, student, n_solutions, key))

    for name in OUTPUTS:  # only reached with an empty `out` or with force=True
        target = out / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
    (out / "student").mkdir(parents=True)
    (out / "answer_key").mkdir()

    student_paths, key_paths, solutions = [], [], {}
    (out / "student" / "README.md").write_text(STUDENT_README, encoding="utf-8")
    for path, student, n_solutions, key in prepared:
        student_path = out / "student" / path.name
        nbformat.write(with_setup_cell(student), student_path)
        full_copy = out / "answer_key" / path.name
        shutil.copyfile(path, full_copy)  # the chapter as committed, byte for byte
        key_path = out / "answer_key" / f"{path.stem}_quiz_answers.md"
        key_path.write_text(key, encoding="utf-8")
        student_paths.append(student_path)
        key_paths += [full_copy, key_path]
        solutions[path.stem] = n_solutions
    zip_path = zip_folder(out / "student", out / "student.zip")
    return Assignment(out, tuple(student_paths), tuple(key_paths), zip_path, solutions)


def zip_folder(folder: str | Path, zip_path: str | Path) -> Path:
    """Zip a folder reproducibly: sorted entries, fixed timestamps and permissions.

    Entries are named ``<folder name>/<relative path>``, so unzipping recreates the folder.

    Parameters
    ----------
    folder : str or pathlib.Path
        The folder to pack (files only; empty folders are skipped).
    zip_path : str or pathlib.Path
        The zip file to write (replaced if it exists).

    Returns
    -------
    pathlib.Path
        ``zip_path``.

    Raises
    ------
    TypeError
        If a path is not a str or a Path.
    ValueError
        If ``folder`` is not a folder.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "pack" / "sub").mkdir(parents=True)
    >>> _ = (root / "pack" / "b.txt").write_text("b")
    >>> _ = (root / "pack" / "sub" / "a.txt").write_text("a")
    >>> first = zip_folder(root / "pack", root / "one.zip").read_bytes()
    >>> first == zip_folder(root / "pack", root / "two.zip").read_bytes()
    True
    >>> zipfile.ZipFile(root / "one.zip").namelist()
    ['pack/b.txt', 'pack/sub/a.txt']
    """
    for name, value in (("folder", folder), ("zip_path", zip_path)):
        if not isinstance(value, str | Path):
            raise TypeError(
                f"Expected `{name}` to be a str or Path, but got {type(value).__name__}."
            )
    folder, zip_path = Path(folder), Path(zip_path)
    if not folder.is_dir():
        raise ValueError(f"Expected `folder` to be an existing folder, but {folder} is not one.")
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    with zipfile.ZipFile(zip_path, "w") as archive:
        for path in files:
            info = zipfile.ZipInfo(
                f"{folder.name}/{path.relative_to(folder).as_posix()}", _ZIP_DATE
            )
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whatever machine writes it
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    return zip_path


def with_setup_cell(nb):
    """``nb`` with a setup cell (installs course_utils where missing) before its first code cell.

    A chapter that already has a set-up cell (tagged ``setup-install``, as the book's chapters
    do) is returned as it is. The cell added is tagged ``course-setup`` and has a fixed id, so
    output stays deterministic.

    Examples
    --------
    >>> import nbformat.v4 as v4
    >>> nb = with_setup_cell(v4.new_notebook(cells=[v4.new_markdown_cell("# 1. T"),
    ...                                              v4.new_code_cell("x = 1")]))
    >>> [c.metadata.get("tags") for c in nb.cells], nb.cells[1].id
    ([None, ['course-setup'], None], 'course-utils-setup')
    """
    import nbformat.v4 as v4

    for existing in nb.cells:
        tags = existing.get("metadata", {}).get("tags", [])
        if isinstance(tags, list) and any(tag in CHAPTER_SETUP_TAGS for tag in tags):
            return nb
    cell = v4.new_code_cell(SETUP_SOURCE, metadata={"tags": [SETUP_TAG]})
    if (nb.nbformat, nb.nbformat_minor) >= (4, 5):
        used = {c.get("id") for c in nb.cells}
        cell["id"] = next(
            f"course-utils-setup{suffix}"
            for suffix in ["", *(f"-{n}" for n in range(2, len(used) + 3))]
            if f"course-utils-setup{suffix}" not in used
        )
    else:
        cell.pop("id", None)
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), len(nb.cells))
    nb.cells.insert(first_code, cell)
    return nb


def _check_out(out, *, force: bool) -> Path:
    if not isinstance(out, str | Path):
        raise TypeError(f"Expected `out` to be a str or Path, but got {type(out).__name__}.")
    out = Path(out).expanduser()
    if out.exists() and not out.is_dir():
        raise ValueError(f"Expected `out` to be a folder, but {out} is a file.")
    if out.is_dir() and any(out.iterdir()) and not force:
        raise ValueError(
            f"The output folder {out} is not empty. Choose a new folder, or pass `--force` "
            "(API: `force=True`) to replace its student/, answer_key/ and student.zip."
        )
    return out


def _quiz_key(path: Path, names: list[str], bank_dir: Path | None) -> str:
    """The chapter's `*_quiz_answers.md`: one answer key per quiz it shows."""
    if not names:
        return f"# Answer key: {path.stem}\n\nThis chapter shows no quiz.\n"
    keys = []
    for name in names:
        try:
            keys.append(quiz_answer_key(load_quiz_bank(name, bank_dir=bank_dir)))
        except ValueError as err:
            raise ValueError(f"{path}: its quiz {name!r} has no valid bank ({err})") from err
    return "\n".join(keys)
