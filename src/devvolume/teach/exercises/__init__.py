"""Exercise checkers with diagnoses of the classic mistakes (learntools' shape, our twist).

Use in a notebook::

    from devvolume.teach.exercises import ____, lesson02, sign_in
    sign_in()             # once per workspace: the name the progress is recorded under
    q1 = lesson02.q1
    april_new = ____      # the learner's answer
    q1.check()            # not attempted / incorrect, with the diagnosis / correct
    q1.hint()             # the next hint of the ladder
    q1.solution()

Every check, hint and solution of a lesson's question is appended to the workspace's local
``.devvolume/progress.jsonl``; the instructor's ``devvolume class`` reads the collected files.
"""

from devvolume.teach._progress import ProgressWarning, sign_in
from devvolume.teach.exercises._question import Feedback, Mistake, Outcome, Question, ____

__all__ = ["Feedback", "Mistake", "Outcome", "ProgressWarning", "Question", "____", "sign_in"]
