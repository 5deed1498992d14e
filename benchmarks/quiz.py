"""Quiz budgets (issues 14 and 16): reading hostile numeric answers, rendering a quiz page.

Prints:
  BENCH quiz.number_pattern_20kb.seconds   the number pattern matched on 20 kB of digits + "x"
                                           (no length cap: the pattern's own worst case)
  BENCH quiz.parse_number_20kb.seconds     parse_number on the same text (refused by length)
  BENCH quiz.render_self_check.seconds     render_quiz_html of the largest bank

Budgets: each under 0.05 s (a quadratic pattern took 40-55 s on 20 kB before issue 16).
"""

from __future__ import annotations

import re
import time

from course_utils.quiz import available_banks, load_bank
from course_utils.quiz.checking import NUMBER_PATTERN, parse_number
from course_utils.quiz.page import render_quiz_html


def _seconds(function, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    hostile = "1" * 20_000 + "x"
    pattern = re.compile(NUMBER_PATTERN)
    banks = [load_bank(name) for name in available_banks()]
    largest = max(banks, key=len)
    figures = {
        "number_pattern_20kb": _seconds(lambda: pattern.match(hostile)),
        "parse_number_20kb": _seconds(lambda: parse_number(hostile)),
        "render_self_check": _seconds(lambda: render_quiz_html(largest)),
    }
    for name, seconds in figures.items():
        print(f"BENCH quiz.{name}.seconds {seconds:.6f} s")
    return 0 if all(seconds < 0.05 for seconds in figures.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
