from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarSubscription, CouncilProcedure, CouncilStep


class CouncilStepInline(admin.TabularInline):
    model = CouncilStep
    extra = 0


@admin.register(CouncilProcedure)
class CouncilProcedureAdmin(SimpleHistoryAdmin):
    list_display = ["title", "deadline", "default_kind"]
    inlines = [CouncilStepInline]


@admin.register(CalendarSubscription)
class CalendarSubscriptionAdmin(admin.ModelAdmin):
    # The token itself is never stored; the admin can see and revoke, not read a feed URL.
    list_display = ["user", "table", "regiekamer", "created_at", "revoked_at"]
    readonly_fields = ["token_hash"]
