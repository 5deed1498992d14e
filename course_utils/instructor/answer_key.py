"""The quiz part of an answer key: every question with its correct answer and explanation."""

from __future__ import annotations

_KINDS = {
    "single": "one answer",
    "multiple": "select all that apply",
    "numeric": "a number",
}


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
        lines += ["", f"## {number}. `{question.id}` ({_KINDS[question.type]})", ""]
        lines += [" ".join(question.prompt.split()), ""]
        if question.type == "numeric":
            lines.append(
                f"**Answer:** {_number(question.answer)} "
                f"(accepted within ± {_number(question.tolerance)})"
            )
        else:
            correct = ", ".join(f"`{option_id}`" for option_id in question.correct_ids)
            lines += [f"**Answer:** {correct}", ""]
            for option in question.options:
                box = "x" if option.correct else " "
                lines.append(f"- [{box}] `{option.id}` {' '.join(option.text.split())}")
        lines += ["", f"**Explanation:** {' '.join(question.explanation.split())}"]
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    """Shortest faithful text for a bank number: 0.90909 -> '0.90909', 83.0 -> '83'."""
    return f"{value:.10g}"
