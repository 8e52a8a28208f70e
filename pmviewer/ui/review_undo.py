"""Undo of review actions (Ctrl+Z): decisions, classification overrides and comments.

Each committed change of the case is remembered with the findings' state before it; undo
writes that state back through the case's own setters, so the undo is recorded in the
audit trail (and in the amendment of a locked case) like any other change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pmviewer.core.errors import PmviewerError

MAX_STEPS = 100
_UNDOABLE = ("decision", "override", "comment")


@dataclass(frozen=True)
class Step:
    what: str  # decision | override | comment
    before: dict  # finding_id -> Decision before the change


class ReviewUndo:
    """``on_error`` receives a :class:`PmviewerError` when an undo cannot be written."""

    def __init__(self, on_error: Callable[[PmviewerError], None] | None = None):
        self.case: Any = None
        self.steps: list[Step] = []
        self._state: dict = {}
        self._undoing = False
        self._unsubscribe: Callable[[], None] | None = None
        self._on_error = on_error

    def attach(self, case) -> None:
        """Follow ``case`` (the history of a previous case is dropped)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.case, self.steps, self._unsubscribe = case, [], None
        self._state = dict(case.decisions()) if case is not None else {}
        if case is not None:
            self._unsubscribe = case.subscribe(self._changed)

    def _changed(self, event) -> None:
        if event.what not in _UNDOABLE or self.case is None:
            return
        from pmviewer.core.model import Decision

        before = {fid: self._state.get(fid, Decision(fid)) for fid in event.finding_ids}
        for fid in event.finding_ids:
            self._state[fid] = self.case.decision(fid)
        if not self._undoing:
            self.steps.append(Step(event.what, before))
            del self.steps[:-MAX_STEPS]

    def can_undo(self) -> bool:
        return bool(self.steps) and self.case is not None and not self.case.locked

    def describe(self) -> str:
        """'Undo decision on 3 findings' (for the menu)."""
        if not self.steps:
            return "Undo"
        step = self.steps[-1]
        n = len(step.before)
        noun = {"decision": "decision", "override": "classification", "comment": "comment"}
        return f"Undo {noun[step.what]}" + (f" on {n} findings" if n > 1 else "")

    def undo(self) -> bool:
        """Put the findings of the last step back as they were; False when nothing to undo."""
        if not self.can_undo():
            return False
        step = self.steps.pop()
        case = self.case
        self._undoing = True
        try:
            if step.what == "decision":
                by_decision: dict[str, list[str]] = {}
                for fid, before in step.before.items():
                    by_decision.setdefault(before.decision, []).append(fid)
                for decision, ids in by_decision.items():
                    case.set_decisions(ids, decision)
            elif step.what == "override":
                for fid, before in step.before.items():
                    case.set_override(
                        fid, before.classification_override, before.override_reason or ""
                    )
            else:
                for fid, before in step.before.items():
                    case.set_comment(fid, before.comment or "")
        except PmviewerError as error:
            if self._on_error:
                self._on_error(error)
            return False
        finally:
            self._undoing = False
        return True
