"""The quiz part of an answer key: every question with its correct answer and explanation."""

from __future__ import annotations


def quiz_answer_key(bank) -> str:
    """A Markdown answer key for one quiz bank.

    Parameters
    ----------
    bank : QuizBank
        From :func:`course_utils.quiz.load_bank`.

    Returns
    -------
    str
        Markdown: a heading with the quiz id and version, then for each question its prompt,
        the options with the correct ones ticked (or the numeric answer and the tolerance
        accepted), and the explanation. Ends with one newline.

    Raises
    ------
    TypeError
        If ``bank`` is not a QuizBank.

    Examples
    --------
    >>> from course_utils.quiz import load_bank
    >>> key = quiz_answer_key(load_bank("01_rnn_metrics"))
    >>> print(key.splitlines()[0])
    # Answer key: Check yourself: metrics for an nn.RNN
    >>> "- [x] `fn` False negatives" in key
    True
    """
    from course_utils.quiz import QuizBank

    if not isinstance(bank, QuizBank):
        raise TypeError(
            f"Expected `bank` to be a QuizBank (see course_utils.quiz.load_bank), but got "
            f"{type(bank).__name__}."
        )
    lines = [
        f"# Answer key: {bank.title}",
        "",
        f"Quiz `{bank.quiz}`, version {bank.version}, {len(bank)} questions. Learners' saved "
        "answers record the version; `course-utils grade` scores them against this bank.",
    ]
    for number, question in enumerate(bank.questions, start=1):
        kind = question.kind  # each question type writes its own answer lines
        lines += ["", f"## {number}. `{question.id}` ({kind.key_label})", ""]
        lines += [" ".join(question.prompt.split()), ""]
        lines += kind.answer_key(question)
        lines += ["", f"**Explanation:** {' '.join(question.explanation.split())}"]
    return "\n".join(lines) + "\n"
