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
    model = Seat
    extra = 0
    autocomplete_fields = ["official"]


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


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["date", "table", "regiekamer", "location"]
    list_filter = ["regiekamer", "table"]
    inlines = [AgendaItemInline]


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
