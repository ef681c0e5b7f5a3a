"""Who may do what: the one place where role and organisation become permissions.

Views load objects through `Model.objects.for_user(user)` (what a user may see; anything else
is a 404) and then ask a `can_<verb>_<noun>` predicate (what a user may change; otherwise 403).
Templates receive the booleans from the view and never re-derive them.

Need to know, per page (issue 17), for a neighbour's or partner's official and a councillor:
- Projects, the sorteerbak and tables are the collaboration's shared picture: everyone signed in
  sees them, but another organisation's *concept* position only as "in voorbereiding"
  (`can_see_position_content`, `hidden_concepts`: pages, exports and history alike). Its own
  officials, secretary and mayor, and the programme office, see it in full.
- Budgets, municipality reports and issued council letters are what the councils receive:
  open to everyone signed in. A concept letter is rendered from submitted and confirmed
  positions only, so it holds no one's concept either.
- The what-if previews one's own position changes (officials of any participant, the
  programme office); it saves nothing and shows no concept.
- Escalations are seen by their reporter, the regiekamers and the programme office
  (`sees_all_escalations`); a regiekamer's meetings by its members.
The access matrix (tests/access.py) holds each of these per URL and persona.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone

if TYPE_CHECKING:
    from .models import Organisation, User


def is_programme_office(user: User) -> bool:
    return user.is_authenticated and (user.is_programme_office or user.is_superuser)


def can_manage_projects(user: User) -> bool:
    """Create and edit projects, their financing and progress."""
    return is_programme_office(user)


def can_edit_position(user: User, organisation: Organisation) -> bool:
    """Record or change `organisation`'s position and commitment on a project.

    An official only for their own organisation; the programme office on anyone's behalf
    (the history shows who did it).
    """
    if not user.is_authenticated:
        return False
    if is_programme_office(user):
        return True
    return user.is_official and user.organisation_id == organisation.pk


def can_edit_budget(user: User) -> bool:
    return is_programme_office(user)


def can_write_letter(user: User) -> bool:
    """Write the free text of council letters."""
    return is_programme_office(user)


def can_preview_scenario(user: User) -> bool:
    """Use the what-if preview of contributions (nothing is saved)."""
    return is_programme_office(user) or (user.is_authenticated and user.is_official)


def can_manage_tables(user: User) -> bool:
    return is_programme_office(user)


def has_collaboration_role(user: User) -> bool:
    """Anyone with a working role in the collaboration (not a councillor alone)."""
    return user.is_authenticated and (
        user.is_official
        or user.is_ambtelijke_regiekamer
        or user.is_bestuurlijke_regiekamer
        or is_programme_office(user)
    )


def sees_all_escalations(user: User) -> bool:
    """Members of either regiekamer and the programme office see every escalation."""
    return user.is_authenticated and (
        user.is_ambtelijke_regiekamer
        or user.is_bestuurlijke_regiekamer
        or is_programme_office(user)
    )


def can_raise_escalation(user: User) -> bool:
    return has_collaboration_role(user)


def can_handle_escalation(user: User, escalation) -> bool:
    """Take up, decide, close, raise or reopen: the regiekamer that holds it, and the programme office.

    Regiekamer membership is the role flag on the user (no query); the Membership rows record the
    terms for the overview.
    """
    if not user.is_authenticated:
        return False
    if is_programme_office(user):
        return True
    if escalation.regiekamer.is_ambtelijk:
        return user.is_ambtelijke_regiekamer
    return user.is_bestuurlijke_regiekamer


def can_comment_escalation(user: User, escalation) -> bool:
    """The handlers and the person who raised it."""
    return can_handle_escalation(user, escalation) or (
        user.is_authenticated and escalation.reporter_id == user.pk
    )


def can_schedule_chair(user: User) -> bool:
    return is_programme_office(user)


def can_edit_letter_particulars(user: User, organisation: Organisation) -> bool:
    """Keep a municipality's letter particulars: its own official or secretary, or the
    programme office."""
    if not user.is_authenticated:
        return False
    if is_programme_office(user):
        return True
    own = user.organisation_id == organisation.pk
    return own and (user.is_official or user.is_ambtelijke_regiekamer)


def can_issue_all_letters(user: User) -> bool:
    """Issue the seven municipalities' letters of a year at once."""
    return is_programme_office(user)


def can_issue_letter(user: User, organisation: Organisation) -> bool:
    """Issue (and so freeze) a municipality's council letter: the same people as its particulars."""
    return can_edit_letter_particulars(user, organisation)


# -- Council procedures and calendar feeds (councils app, tables.calendar) ----------------------


def can_start_council_procedure(user: User) -> bool:
    """Start a raadsprocedure (one proposal to the seven councils)."""
    return is_programme_office(user)


def can_edit_council_step(user: User, step) -> bool:
    """Record a council's procedure, meeting date, outcome and document.

    The municipality's own official or secretary (ambtelijke regiekamer) for its row; the
    programme office for any row. Councillors read only.
    """
    if not user.is_authenticated:
        return False
    if is_programme_office(user):
        return True
    return (
        user.is_official or user.is_ambtelijke_regiekamer
    ) and user.organisation_id == step.municipality_id


def can_read_meeting(user: User, meeting) -> bool:
    """A table's meetings are open to everyone signed in; a regiekamer's to its members.

    The same rule as the meeting pages (tables.views.meeting_detail, regiekamer_meeting); it
    also decides what a personal calendar feed lists, so an active account is required.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if meeting.regiekamer_id is not None:
        return sees_all_escalations(user)
    return True


def can_subscribe_calendar(user: User, table=None, regiekamer=None) -> bool:
    """Subscribe to the meetings of a table or a regiekamer: whoever may read them."""
    if not (user.is_authenticated and user.is_active):
        return False
    if regiekamer is not None:
        return sees_all_escalations(user)
    return table is not None


# -- Need to know (issue 17) --------------------------------------------------------------------


def can_see_position_content(user: User, commitment) -> bool:
    """A municipality's concept position is its college's business until it is submitted:
    others see that a position is being prepared, not what it says. Its own organisation and
    the programme office (who may record it on its behalf) see it in full; a submitted,
    confirmed or withdrawn position is open to everyone in the collaboration."""
    if commitment is None or commitment.status != "concept":
        return True
    if is_programme_office(user):
        return True
    return _prepares_positions(user) and user.organisation_id == commitment.organisation_id


def _prepares_positions(user: User) -> bool:
    """Those of an organisation who work on its positions (a councillor reads, after submission)."""
    return user.is_authenticated and (
        user.is_official or user.is_ambtelijke_regiekamer or user.is_bestuurlijke_regiekamer
    )


def hidden_concepts(user: User) -> Q:
    """The history or position rows `user` may not read: concepts not of their own making."""
    if is_programme_office(user):
        return Q(pk__in=[])
    if not _prepares_positions(user):
        return Q(status="concept")
    return Q(status="concept") & ~Q(organisation_id=user.organisation_id)


# -- Decisions and actions (issue 15) ----------------------------------------------------------


def can_record_decisions(user: User, meeting) -> bool:
    """Keep a meeting's besluitenlijst: record, change and remove its decisions and actions.

    Whoever plans the meeting keeps its decision list. For a board table that is the programme
    office (its secretariat, as `can_manage_tables`). For a regiekamer meeting it is the
    programme office too (the regiekamer's secretariat; the manager Smart Delta Drechtsteden
    sits in the ambtelijke regiekamer, and the office schedules its chairs: `can_schedule_chair`)
    and the chair of that date (a `ChairTerm` of that regiekamer running on the meeting's date),
    who leads the meeting (seed 004: "Benoem één van de gemeentesecretarissen als voorzitter").
    Not every member: handling an escalation is each member's work (`can_handle_escalation`),
    but what the regiekamer decided is written down once, by its chair and secretariat, and read
    by all members (`can_read_meeting`).
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if is_programme_office(user):
        return True
    if meeting.regiekamer_id is None:
        return False
    # Through the meeting's own relations: the core imports no app.
    return meeting.regiekamer.chair_terms.on(meeting.date).filter(user_id=user.pk).exists()


def can_update_action(user: User, action) -> bool:
    """Set an action's status: its owner organisation's officials and secretary, and whoever
    keeps the meeting's decision list.

    Seed 004: "Belangrijk is om elkaar scherp te houden op gemaakte afspraken": the owner says
    when its action is done, everyone who reads the meeting sees it. Cancelling an action is
    the meeting's call (`tables.decisions.set_action_status` leaves it to the planner).
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if (user.is_official or user.is_ambtelijke_regiekamer) and (
        user.organisation_id == action.owner_id
    ):
        return True
    return can_record_decisions(user, action.decision.meeting)


# -- Meetings of tables and regiekamers (issue 15) ---------------------------------------------


def can_plan_meeting(user: User, body, on=None) -> bool:
    """Plan a meeting of `body` (a board table or a regiekamer) on the date `on` (today when not
    given), keep its agenda and papers, send the papers and record who attended.

    A board table: the programme office, the tables' secretariat. A regiekamer: the programme
    office, its secretariat (the manager SDD sits in the ambtelijke regiekamer), and the member
    who chairs it on that date by the chair schedule (seed 004, implementation step 3c: "Benoem
    één van de gemeentesecretarissen als voorzitter"), the same rule as `can_record_decisions`.
    A chair whose membership has ended (role taken away) plans nothing. One query (the chair
    term) for a regiekamer member.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if is_programme_office(user):
        return True
    kind = getattr(body, "kind", None)
    if kind is None:  # a board table
        return False
    member = user.is_ambtelijke_regiekamer if body.is_ambtelijk else user.is_bestuurlijke_regiekamer
    if not member:
        return False
    return body.chair_terms.on(on or timezone.localdate()).filter(user_id=user.pk).exists()


def can_plan_meeting_of(user: User, meeting) -> bool:
    """`can_plan_meeting` for an existing meeting: its body, its date."""
    return can_plan_meeting(user, meeting.table or meeting.regiekamer, on=meeting.date)
