from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CouncilProcedure, CouncilStep


class CouncilStepInline(admin.TabularInline):
    model = CouncilStep
    extra = 0


@admin.register(CouncilProcedure)
class CouncilProcedureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "deadline", "default_kind"]
    inlines = [CouncilStepInline]
