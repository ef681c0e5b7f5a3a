from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from smartdelta.admin import ReadOnlyAdmin

from .models import CouncilProcedure, CouncilStep


class CouncilStepInline(ReadOnlyAdmin, admin.TabularInline):
    model = CouncilStep
    extra = 0


# Read-only: a procedure starts with one row per core municipality, and a council's outcome must
# fit its procedure and is recorded by that municipality (`councils.procedures`).
@admin.register(CouncilProcedure)
class CouncilProcedureAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["title", "deadline", "default_kind"]
    inlines = [CouncilStepInline]
