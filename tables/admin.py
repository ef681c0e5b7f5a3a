from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from smartdelta.versioning import stamp

from .models import (
    AgendaItem,
    BoardTable,
    Meeting,
    Membership,
    ProcessStep,
    Regiekamer,
    Seat,
    TripleHelixTable,
)


class SeatInline(admin.TabularInline):
    """Read only: the programme office keeps seats on the table page (`tables.seats`), where
    the version, the rules and the history are kept."""

    model = Seat
    extra = 0
    fields = ["organisation", "takes_part", "reason", "official", "valid_from", "valid_until"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HelixInline(admin.TabularInline):
    model = TripleHelixTable
    extra = 0


@admin.register(BoardTable)
class BoardTableAdmin(SimpleHistoryAdmin):
    list_display = ["theme"]
    inlines = [SeatInline, HelixInline]


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    extra = 1
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    """Kept for corrections by `beheer`; meetings are planned in the portal (issue 15), and
    papers and attendance are not in the admin at all."""

    list_display = ["date", "table", "regiekamer", "location"]
    list_filter = ["regiekamer", "table"]
    inlines = [AgendaItemInline]
    readonly_fields = ["version", "updated_at", "updated_by", "papers_sent_at"]

    def save_model(self, request, obj, form, change):
        stamp(obj, request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for item in formset.save(commit=False):
            stamp(item, request.user)
            item.save()
        for item in formset.deleted_objects:
            item._history_user = request.user
            item.delete()
        formset.save_m2m()


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


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Regiekamer)
class RegiekamerAdmin(SimpleHistoryAdmin):
    # Chair terms and escalations have their own services with rules; they are edited in the
    # portal, not here.
    inlines = [MembershipInline]


# -- Background tasks (tables/tasks.py) ------------------------------------------------------
# django-tasks-db's own read-only admin, with a Dutch column that says which mail a row is
# and which attempt; filter on status "Mislukt" for the mails that never went out.
from django_tasks_db.admin import DBTaskResultAdmin  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class BackgroundTaskAdmin(DBTaskResultAdmin):
    list_display = ["description", "status", "enqueued_at", "run_after", "finished_at"]
    list_filter = ["status", "queue_name"]
    search_fields = ["args_kwargs"]

    @admin.display(description="Taak")
    def description(self, obj: DBTaskResult) -> str:
        args = obj.args_kwargs.get("args") or []
        if obj.task_path.endswith(".deliver_mail") and args:
            attempt = args[3] if len(args) > 3 else 1
            return f"Mail ‘{args[0]}’ aan {', '.join(args[2])} (poging {attempt})"
        return obj.task_path
