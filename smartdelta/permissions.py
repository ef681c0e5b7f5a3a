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


def can_handle_failed_mail(user: User) -> bool:
    """See the mails that failed for good and send them again or let them drop (issue 30): the
    programme office, which keeps the portal running for the collaboration, and `beheer`."""
    return user.is_authenticated and user.is_active and is_programme_office(user)


# -- Accounts (issue 30, smartdelta.accounts) --------------------------------------------------


def grantable_roles(user: User) -> list:
    """The roles `user` may give: the programme office invites and keeps the collaboration's
    officials and councillors of every organisation; `beheer` also the programme office and
    `beheer`. The regiekamer roles are nobody's to give here: they follow a seat in a regiekamer,
    kept with its decision (`tables.memberships`)."""
    from .models import Role

    if not (user.is_authenticated and user.is_active):
        return []
    if user.is_superuser:
        return [Role.OFFICIAL, Role.COUNCILLOR, Role.PROGRAMME_OFFICE, Role.ADMINISTRATOR]
    if user.is_programme_office:
        return [Role.OFFICIAL, Role.COUNCILLOR]
    return []


def can_invite_users(user: User) -> bool:
    """See the accounts and invite people: the programme office and `beheer`."""
    return bool(grantable_roles(user))


def can_keep_account(user: User, account: User) -> bool:
    """Change `account` (name, e-mail, organisation, roles, active): whoever may invite, as long
    as `account` holds no role they may not give. Otherwise a programme-office member could take
    over a `beheer` account by changing its e-mail address, or lock the other office out."""
    from .models import ROLE_FIELDS

    grantable = grantable_roles(user)
    if not grantable:
        return False
    if account.is_staff and not user.is_superuser:
        return False
    held = {role for role, field in ROLE_FIELDS.items() if getattr(account, field)}
    # The regiekamer roles follow a seat: held, they neither stop nor need the keeper.
    held -= {"ambtelijke_regiekamer", "bestuurlijke_regiekamer"}
    return held <= set(grantable)


def can_manage_projects(user: User) -> bool:
    """Create and edit projects and their financing: the register (progress is kept by those
    who carry a project, `can_post_progress`)."""
    return is_programme_office(user)


def can_edit_position(user: User, organisation: Organisation) -> bool:
    """Record or change `organisation`'s position on a project.

    An official only for their own organisation; the programme office on anyone's behalf
    (the history shows who did it).
    """
    if not user.is_authenticated:
        return False
    if is_programme_office(user):
        return True
    return user.is_official and user.organisation_id == organisation.pk


def can_add_outside_position(user: User, core_ids) -> bool:
    """Open a position on a project for an organisation outside the seven (a partner or
    neighbour, issue 30): the programme office for any of them, an official of one for their
    own (as `can_edit_position`). `core_ids`: the seven's ids, which the caller has read."""
    if is_programme_office(user):
        return True
    return (
        user.is_authenticated
        and user.is_official
        and user.organisation_id is not None
        and user.organisation_id not in core_ids
    )


def can_edit_budget(user: User) -> bool:
    return is_programme_office(user)


def can_keep_inhabitants(user: User) -> bool:
    """Record a municipality's CBS inhabitant count (issue 30): it moves money, so the
    programme office, as it keeps the budget."""
    return is_programme_office(user)


def can_write_letter(user: User) -> bool:
    """Write the free text of council letters."""
    return is_programme_office(user)


def can_preview_scenario(user: User) -> bool:
    """Use the what-if preview of contributions (nothing is saved)."""
    return is_programme_office(user) or (user.is_authenticated and user.is_official)


def can_manage_tables(user: User) -> bool:
    return is_programme_office(user)


def can_keep_organisations(user: User) -> bool:
    """Add a neighbour or partner organisation and change an organisation's details (issue 30):
    the parties the programme office invites and divides the money between."""
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
    """Prepare an escalation – take it up (intake, onto a meeting's agenda) and close it once
    decided – and comment on it: the regiekamer that holds it, and the programme office.

    Deciding is the regiekamer's own (`can_decide_escalation`). Regiekamer membership is the role
    flag on the user (no query); the Membership rows record the terms for the overview.
    """
    if not user.is_authenticated:
        return False
    if is_programme_office(user):
        return True
    return is_member_of(user, escalation.regiekamer)


def is_member_of(user: User, regiekamer) -> bool:
    """A member of that regiekamer (the role flag: no query)."""
    if regiekamer.is_ambtelijk:
        return user.is_ambtelijke_regiekamer
    return user.is_bestuurlijke_regiekamer


def can_keep_memberships(user: User) -> bool:
    """Record who sits in the regiekamers, from when, and by which decision: the programme
    office, their secretariat, writes down whom each municipality delegates (seed 004: "eén
    bestuurder uit elke gemeente"; "De afgevaardigde is gelegitimeerd en heeft mandaat in zijn
    of haar eigen gemeente"). The members themselves see the list (`sees_all_escalations`)."""
    return is_programme_office(user)


def can_keep_collaboration_milestones(user: User) -> bool:
    """Keep the collaboration's own milestones (its agreements with their dates): the
    programme office, which prepares the regiekamers' work; the regiekamers read them
    (`sees_all_escalations`)."""
    return is_programme_office(user)


def can_decide_escalation(user: User, escalation) -> bool:
    """Decide an escalation, raise it to the bestuurlijke regiekamer or reopen it: only the
    members of the regiekamer that holds it.

    Seed 004, advice 3: "Regie op de bestuurlijke samenwerking tussen zeven gemeenten is de
    verantwoordelijkheid van de zeven samenwerkende gemeenten", and "Aansturing van de
    werkorganisatie wordt verzorgd door de bestuurlijke regiekamer, de ambtelijke regie kamer en
    de manager Smart Delta Drechtsteden". The programme office prepares; it records such a
    decision only on behalf of the chair (`tables.escalations`), never as its own.
    """
    return user.is_authenticated and user.is_active and is_member_of(user, escalation.regiekamer)


def can_comment_escalation(user: User, escalation) -> bool:
    """The handlers and the person who raised it."""
    return can_handle_escalation(user, escalation) or (
        user.is_authenticated and escalation.reporter_id == user.pk
    )


def can_schedule_chair(user: User, regiekamer) -> bool:
    """Keep `regiekamer`'s chair schedule: its own members choose their chair (seed 004,
    implementation step 3: "Benoem één van de gemeentesecretarissen als voorzitter"; advice 3:
    "Regie op de bestuurlijke samenwerking tussen zeven gemeenten is de verantwoordelijkheid
    van de zeven samenwerkende gemeenten"). Not the programme office: choosing is deciding."""
    return user.is_authenticated and user.is_active and is_member_of(user, regiekamer)


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


# -- Council procedures and calendar feeds (councils app, meetings.calendar) ----------------------


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
    """A table's meetings, and the shareholders' meeting's, are open to everyone signed in; a
    regiekamer's to its members.

    The same rule as the meeting pages (`meetings.meeting_views.get_meeting_for`); it
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


def can_see_position_content(user: User, position) -> bool:
    """A municipality's concept position is its college's business until it is submitted:
    others see that a position is being prepared, not what it says. Its own organisation and
    the programme office (who may record it on its behalf) see it in full; a submitted,
    confirmed or withdrawn position is open to everyone in the collaboration."""
    if position is None or position.status != "concept":
        return True
    if is_programme_office(user):
        return True
    return _prepares_positions(user) and user.organisation_id == position.organisation_id


def _prepares_positions(user: User) -> bool:
    """Those of an organisation who work on its positions (a councillor reads, after submission)."""
    return user.is_authenticated and (
        user.is_official or user.is_ambtelijke_regiekamer or user.is_bestuurlijke_regiekamer
    )


# Every status of a position but "concept" (portfolio.models.PositionStatus; the core imports
# no app, tests/portfolio/test_need_to_know.py checks the two agree).
OPEN_POSITION_STATUSES = ("ingediend", "bevestigd", "ingetrokken")


def visible_positions(user: User, prefix: str = "") -> Q:
    """The position rows whose content `user` may read (the rows `hidden_concepts` leaves), as
    a positive condition, so it can stand inside a filter over a relation (`prefix`, e.g.
    "positions__": filtering projects by a municipality's variant must not find a concept of
    another municipality)."""
    if is_programme_office(user):
        return Q()
    shown = Q(**{f"{prefix}status__in": OPEN_POSITION_STATUSES})
    if _prepares_positions(user):
        shown |= Q(**{f"{prefix}organisation_id": user.organisation_id})
    return shown


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

    Whoever plans the meeting keeps its decision list (`can_plan_meeting_of`): for a board
    table the programme office, its secretariat; for a regiekamer meeting the programme office
    and the member who chairs it on the meeting's date, who leads the meeting (seed 004:
    "Benoem één van de gemeentesecretarissen als voorzitter"). Not every member: handling an
    escalation is each member's work (`can_handle_escalation`), but what the regiekamer decided
    is written down once, by its chair and secretariat, and read by all members
    (`can_read_meeting`).
    """
    return can_plan_meeting_of(user, meeting)


def can_adopt_decisions(user: User, meeting) -> bool:
    """Adopt (vaststellen) a meeting's besluitenlijst, after which it stays as adopted.

    A regiekamer's list: its members, who took the decisions. Seed 004, advice 3: "Regie op de
    bestuurlijke samenwerking tussen zeven gemeenten is de verantwoordelijkheid van de zeven
    samenwerkende gemeenten"; the programme office prepares and writes down, it never decides,
    so it does not adopt a regiekamer's list either. A board table's list: the programme office,
    the tables' secretariat, records the table's adoption (`can_plan_meeting`). The
    shareholders' meeting of Smart Delta & Partners: the shareholders' representatives, one per
    shareholder (seed 000: "Gelijke verdeling van eigenaarschap en zeggenschap"), never the
    programme office that prepares it.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if meeting.regiekamer_id is not None:
        return is_member_of(user, meeting.regiekamer)
    if meeting.general_meeting_id is not None:
        return represents_shareholder(user, meeting.general_meeting)
    return is_programme_office(user)


def can_update_action(user: User, action) -> bool:
    """Set an action's status: its owner organisation's officials and secretary, and whoever
    keeps the meeting's decision list.

    Seed 004: "Belangrijk is om elkaar scherp te houden op gemaakte afspraken": the owner says
    when its action is done, everyone who reads the meeting sees it. Cancelling an action is
    the meeting's call (`meetings.decisions.set_action_status` leaves it to the planner).
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if (user.is_official or user.is_ambtelijke_regiekamer) and (
        user.organisation_id == action.owner_id
    ):
        return True
    return can_record_decisions(user, action.decision.meeting)


# -- Following, digests and search (issue 15) --------------------------------------------------


def can_follow(user: User) -> bool:
    """Follow a project, theme or table: anyone signed in with an active account.

    Seed 004: "Geen deelname: Je doet niet mee, je blijft wel op hoogte van ontwikkelingen."
    What can be followed is what the user may see (the `for_user` querysets); a digest then
    shows only what the user may see on the day it is made.
    """
    return user.is_authenticated and user.is_active


def readable_meetings(user: User) -> Q:
    """The meetings `user` may read, as a filter: the rule of `can_read_meeting`."""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if sees_all_escalations(user):
        return Q()
    return Q(regiekamer__isnull=True)


# -- Seats, carriers' progress and four-eyes confirmation (issue 15) ----------------------------


def can_manage_seats(user: User) -> bool:
    """Keep the seats of the board tables: terms, officials, absences, partner admissions.

    The programme office keeps them on the table page; the decisions they record (a partner's
    admission by all seven, a municipality's choice not to take part) are taken elsewhere.
    """
    return can_manage_tables(user)


def carries_project(user: User, project, positions=None) -> bool:
    """An official of the project's lead organisation, or of an organisation whose confirmed
    position in force on the project is full participation.

    Seed 004 (advice 1): projects are "Met gecommitteerde partijen" and the choice "ligt echt bij
    de partijen die zich aan een specifiek project verbinden". A position commits its
    organisation once a second person confirmed it (four-eyes, `may_confirm_position`), so
    carrying follows the position in force, as the money does (`finance.shares.in_force`): one
    official submitting "volledig" makes nobody a carrier (issue 32), and a change of a confirmed
    position carries nothing until it is confirmed in turn. A withdrawn position, solidarity,
    the entry model or no participation carry nothing.
    `positions`: the project's positions when the caller has them loaded (then no query).
    """
    if not (user.is_authenticated and user.is_official and user.organisation_id):
        return False
    if project.lead_id == user.organisation_id:
        return True
    if positions is None:
        positions = project.positions.filter(organisation_id=user.organisation_id)
    return any(
        p.organisation_id == user.organisation_id
        # What others see of a concept (portfolio.queries.PreparingPosition) has no such field.
        and getattr(p, "in_force_variant", "") == "volledig"
        and p.status != "ingetrokken"
        for p in positions
    )


def can_post_progress(user: User, project, positions=None) -> bool:
    """Post progress updates, keep milestones and set the execution phase of a project: the
    programme office, and the officials of those who carry it (`carries_project`)."""
    return is_programme_office(user) or carries_project(user, project, positions)


def may_confirm_position(user: User, position) -> bool:
    """Four-eyes: whoever confirms a submitted position is not the one who submitted it.

    Confirming needs a second person, as Open Forms co-signs: an official of the organisation
    other than the submitter, or the programme office on its behalf, but only as the second
    person, never as both: when the programme office submitted on the organisation's behalf,
    an official of the organisation itself confirms. A position whose submitter is unknown
    (from before the rule) may be confirmed by anyone who may edit it.
    """
    if not can_edit_position(user, position.organisation):
        return False
    submitter = position.submitted_by
    if submitter is None:
        return True
    if submitter.pk == user.pk:
        return False
    if is_programme_office(user) and submitter.organisation_id != position.organisation_id:
        return False
    return True


# -- Meetings of tables and regiekamers (issue 15) ---------------------------------------------


def can_plan_meeting(user: User, body, on=None, chair_terms=None) -> bool:
    """Plan a meeting of `body` (a board table, a regiekamer or the shareholders' meeting of Smart
    Delta & Partners, which the programme office prepares) on the date `on` (today when not
    given), keep its agenda and papers, send the papers and record who attended.

    A board table: the programme office, the tables' secretariat. A regiekamer: the programme
    office, its secretariat (the manager SDD sits in the ambtelijke regiekamer), and the member
    who chairs it on that date by the chair schedule (seed 004, implementation step 3c: "Benoem
    één van de gemeentesecretarissen als voorzitter"), the same rule as `can_record_decisions`.
    A chair whose membership has ended (role taken away) plans nothing. One query (the chair
    term) for a regiekamer member, none when the caller passes `body`'s chair terms (all of
    them, or any part that holds those running on that date: the regiekamer overview has read
    the schedule from today on already).
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if is_programme_office(user):
        return True
    kind = getattr(body, "kind", None)
    if kind is None:  # a board table or a shareholders' meeting
        return False
    member = user.is_ambtelijke_regiekamer if body.is_ambtelijk else user.is_bestuurlijke_regiekamer
    if not member:
        return False
    on = on or timezone.localdate()
    if chair_terms is not None:
        return any(term.user_id == user.pk and term.runs_on(on) for term in chair_terms)
    return body.chair_terms.on(on).filter(user_id=user.pk).exists()


def can_plan_meeting_of(user: User, meeting) -> bool:
    """`can_plan_meeting` for an existing meeting: its body, its date."""
    return can_plan_meeting(user, meeting.body, on=meeting.date)


# -- Smart Delta & Partners (issue 29, seed 000) ------------------------------------------------


def can_keep_company(user: User) -> bool:
    """Keep the company's particulars, its shareholders and their representatives: the
    programme office, which prepares (seed 004: the seven decide, the office prepares)."""
    return user.is_authenticated and user.is_active and is_programme_office(user)


def represents_shareholder(user: User, general_meeting) -> bool:
    """Whether `user` represents one of the shareholders at `general_meeting` (one query).

    Seed 000: "Opdrachtverstrekking en toezicht op uitvoering via aandeelhoudersvergadering":
    there the shareholders decide, each through its one representative."""
    if not (user.is_authenticated and user.is_active):
        return False
    return general_meeting.company.shareholdings.filter(representative_id=user.pk).exists()


# -- Indicators and measurements (results app, issue 27) ------------------------------------------


def can_keep_indicators(user: User) -> bool:
    """Define indicators and their targets: the programme office keeps them (issue 27)."""
    return is_programme_office(user)


def can_enter_measurement(user: User, indicator) -> bool:
    """Enter a measurement: a project's by those who post its progress (its carriers), a theme's
    by the programme office (issue 27, "Who keeps them")."""
    if indicator.project_id is not None:
        return can_post_progress(user, indicator.project)
    return is_programme_office(user)


# -- The local uitvoeringsagenda (issue 27, results.agenda) ------------------------------------
# Each core municipality keeps its own agenda. Its officials (and the programme office) edit it;
# its secretary (the member of the ambtelijke regiekamer for that municipality) and the
# programme office publish an item to its council; an unpublished item stays with the
# municipality: its officials, its secretary and the programme office see it, nobody else
# (not its councillors, mayor or other municipalities).


def can_edit_agenda(user: User, organisation: Organisation) -> bool:
    """Add or change items of `organisation`'s agenda: its officials and the programme office,
    as for its positions."""
    return can_edit_position(user, organisation)


def can_publish_agenda_item(user: User, item) -> bool:
    """Publish an item to the council: the municipality's secretary or the programme office."""
    if not user.is_authenticated:
        return False
    if is_programme_office(user):
        return True
    return user.is_ambtelijke_regiekamer and user.organisation_id == item.organisation_id


def sees_agenda_concepts(user: User, organisation_id: int) -> bool:
    """Whether `user` reads the unpublished items of the agenda of `organisation_id`."""
    if not user.is_authenticated:
        return False
    if is_programme_office(user):
        return True
    return user.organisation_id == organisation_id and (
        user.is_official or user.is_ambtelijke_regiekamer
    )


def visible_agenda_items(user: User) -> Q:
    """The agenda items `user` may see: the published ones, and the concepts of their own
    municipality when they work on it."""
    if is_programme_office(user):
        return Q()
    shown = Q(published=True)
    if user.is_authenticated and (user.is_official or user.is_ambtelijke_regiekamer):
        shown |= Q(organisation_id=user.organisation_id)
    return shown


# -- The coordinator of each municipality (issue 29) ---------------------------------------------
# Seed 004, advice 4: "Per individuele gemeente is er ten minste 1 ambtenaar die een
# coördinerende rol vervult binnen zijn/haar gemeente en de verbinding is naar de regionale
# werkorganisatie." Each of the seven records its coordinator (and a deputy) in the portal; what
# waits on a municipality is read by its own people, and by the regiekamers and the programme
# office for all seven.


def can_set_coordinator(user: User, organisation: Organisation) -> bool:
    """Record who coordinates for `organisation`, and their deputy: its own secretary (its
    member of the ambtelijke regiekamer) or the programme office."""
    if not (user.is_authenticated and user.is_active):
        return False
    if is_programme_office(user):
        return True
    return user.is_ambtelijke_regiekamer and user.organisation_id == organisation.pk


def sees_every_municipality_waiting(user: User) -> bool:
    """See what waits on each of the seven, and the summary across them: the members of both
    regiekamers and the programme office (the same people who see every escalation)."""
    return user.is_active and sees_all_escalations(user)


def can_see_waiting_on(user: User, organisation: Organisation, coordination=None) -> bool:
    """See what waits on `organisation`: everyone of `sees_every_municipality_waiting`, and of
    the municipality itself its officials, its secretary, and its coordinator and deputy
    (`coordination`, when recorded). Not its councillors: this is the organisation's own work."""
    if not (user.is_authenticated and user.is_active):
        return False
    if sees_every_municipality_waiting(user):
        return True
    if user.organisation_id != organisation.pk:
        return False
    if user.is_official or user.is_ambtelijke_regiekamer:
        return True
    return coordination is not None and user.pk in (
        coordination.coordinator_id,
        coordination.deputy_id,
    )
