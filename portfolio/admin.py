from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from smartdelta.versioning import stamp

from .models import Commitment, ExternalFunding, Milestone, ProgressUpdate, Project, Theme


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}


class ExternalFundingInline(admin.TabularInline):
    model = ExternalFunding
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    # The version and who changed it last are kept by the portal, not typed by hand.
    readonly_fields = ["version", "updated_at", "updated_by"]


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["name", "theme", "lead", "status", "total_cost"]
    list_filter = ["theme", "status"]
    list_select_related = ["theme", "lead"]
    search_fields = ["name"]
    inlines = [ExternalFundingInline, MilestoneInline]
    # The version and who changed it last are kept by the portal, not typed by hand.
    readonly_fields = ["version", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        stamp(obj, request.user)
        super().save_model(request, obj, form, change)


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["project", "organisation", "variant", "status", "amount", "version"]
    list_filter = ["variant", "status", "organisation"]
    list_select_related = ["project", "organisation"]
    # The version and audit fields are kept by the portal, not typed by hand.
    readonly_fields = ["version", "updated_at", "updated_by", "submitted_by"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["project", "date", "light"]
    list_select_related = ["project"]
