"""Exercise checkers with diagnoses of the classic mistakes (learntools' shape, our twist).

Use in a notebook::

    from devvolume.teach.exercises import ____, exercise_data, lesson02, sign_in
    sign_in()             # once per workspace: the name the progress is recorded under
    data = exercise_data()  # the case with follow-ups by other teams (lessons 01-04, 06)
    q1 = lesson02.q1
    april_new = ____      # the learner's answer
    q1.check()            # not attempted / incorrect, with the diagnosis / correct, or
                          # "write it again" (a percent, too few decimals: neither)
    q1.hint()             # the next hint of the ladder
    q1.solution()

Every check, hint and solution of a lesson's question is appended to the workspace's local
``.devvolume/progress.jsonl``; the instructor's ``devvolume class`` reads the collected files.
"""

from devvolume.teach._progress import ProgressWarning, sign_in
from devvolume.teach.exercises._cases import exercise_data
from devvolume.teach.exercises._question import (
    UNITS,
    Feedback,
    Mistake,
    Outcome,
    Question,
    Unit,
    ____,
)

__all__ = ["UNITS", "Feedback", "Mistake", "Outcome", "ProgressWarning", "Question", "Unit", "____",
           "exercise_data", "sign_in"]
