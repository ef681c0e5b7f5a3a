"""Board tables, the two regiekamers, escalations and Smart Delta & Partners: the governance
bodies of the collaboration, by subject (issue 31). Their meetings are the `meetings` app's.

Every model a person edits keeps its history (django-simple-history). Escalations change only
through `tables.escalations`, which also writes the append-only `EscalationEvent` log.
"""

from .bodies import (
    BoardTable,
    ChairTerm,
    Membership,
    Regiekamer,
    RegiekamerKind,
    Seat,
    TermQuerySet,
    TripleHelixTable,
)
from .collaboration import CollaborationMilestone, MilestoneStatus
from .company import Assignment, Company, GeneralMeeting, Shareholding, SupervisionReport
from .escalations import (
    OPEN_STATES,
    Category,
    Escalation,
    EscalationComment,
    EscalationEvent,
    EscalationQuerySet,
    EscalationState,
    Urgency,
)
from .process import ProcessState, ProcessStep, Step

__all__ = [
    "BoardTable",
    "TripleHelixTable",
    "TermQuerySet",
    "Seat",
    "RegiekamerKind",
    "Regiekamer",
    "Membership",
    "ChairTerm",
    "ProcessState",
    "Step",
    "ProcessStep",
    "Category",
    "Urgency",
    "EscalationState",
    "OPEN_STATES",
    "EscalationQuerySet",
    "Escalation",
    "EscalationEvent",
    "EscalationComment",
    "MilestoneStatus",
    "CollaborationMilestone",
    "Company",
    "GeneralMeeting",
    "Shareholding",
    "Assignment",
    "SupervisionReport",
]
