from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from smartdelta.admin import ReadOnlyAdmin

from .models import AgendaItem, Meeting

# Decisions and actions are not in the admin at all: `meetings.decisions` keeps them, with its
# rules, in the portal.


class AgendaItemInline(ReadOnlyAdmin, admin.StackedInline):
    model = AgendaItem
    extra = 0


# Read-only: meetings, their agendas, papers and attendance are kept in the portal
# (`meetings.meetings`, issue 15), where the version and who may plan them are checked.
@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["date", "table", "regiekamer", "general_meeting", "location"]
    list_filter = ["regiekamer", "table", "general_meeting"]
    inlines = [AgendaItemInline]
