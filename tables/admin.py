from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from smartdelta.admin import ReadOnlyAdmin
from smartdelta.versioning import stamp

from .models import BoardTable, Membership, ProcessStep, Regiekamer, Seat, TripleHelixTable

# Escalations and their events and comments, decisions and actions, chair terms, the
# collaboration's milestones and Smart Delta & Partners with its shareholders are not in the
# admin at all: each has its own service with rules (tables/escalations.py, chairs.py,
# collaboration.py, company.py; meetings/decisions.py) and is kept in the portal.


# Read-only: the programme office keeps seats on the table page (`tables.seats`), where the
# version, the rules and the history are kept.
class SeatInline(ReadOnlyAdmin, admin.TabularInline):
    model = Seat
    extra = 0
    fields = ["organisation", "takes_part", "reason", "official", "valid_from", "valid_until"]


# Editable in an emergency: the portal keeps them (tables.structure, issue 30); the version and
# who changed it last are stamped on save (BoardTableAdmin.save_formset).
class HelixInline(admin.TabularInline):
    model = TripleHelixTable
    extra = 0
    fields = ["name", "description"]


# Editable: a board table is its theme; its seats are read-only above.
@admin.register(BoardTable)
class BoardTableAdmin(SimpleHistoryAdmin):
    list_display = ["theme"]
    inlines = [SeatInline, HelixInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is TripleHelixTable:
            for obj in formset.save(commit=False):
                stamp(obj, request.user)
                obj.save()
            for obj in formset.deleted_objects:
                obj._history_user = request.user
                obj.delete()
            return
        super().save_formset(request, form, formset, change)


# Editable: a step's state and note have no rule beyond who changes them (the programme office,
# as `beheer` is) and the version, which the save below keeps.
@admin.register(ProcessStep)
class ProcessStepAdmin(SimpleHistoryAdmin):
    list_display = ["table", "cycle", "step", "state"]
    list_filter = ["cycle", "state", "table"]
    list_editable = ["state"]
    # The version and who changed it last are kept by the portal, not typed by hand.
    readonly_fields = ["version", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        stamp(obj, request.user)
        super().save_model(request, obj, form, change)


# Read-only: who sits in a regiekamer decides who sees its escalations and chairs it, so a
# membership changes with the rules of the portal, not around them (issue 32). Until the portal
# has its page for them, a change goes through a service in `manage.py shell`.
class MembershipInline(ReadOnlyAdmin, admin.TabularInline):
    model = Membership
    extra = 0


# Editable: a regiekamer's name and kind have no rules; its memberships are read-only above.
@admin.register(Regiekamer)
class RegiekamerAdmin(SimpleHistoryAdmin):
    inlines = [MembershipInline]
