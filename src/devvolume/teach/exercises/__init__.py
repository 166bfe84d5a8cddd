"""Exercise checkers with diagnoses of the classic mistakes (learntools' shape, our twist).

Use in a notebook::

    from devvolume.teach.exercises import ____, lesson02
    q1 = lesson02.q1
    april_new = ____      # the learner's answer
    q1.check()            # not attempted / incorrect, with the diagnosis / correct
    q1.hint()             # the next hint of the ladder
    q1.solution()
"""

from devvolume.teach.exercises._question import Feedback, Mistake, Outcome, Question, ____

__all__ = ["Feedback", "Mistake", "Outcome", "Question", "____"]
