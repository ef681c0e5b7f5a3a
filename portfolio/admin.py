from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from smartdelta.admin import ReadOnlyAdmin
from smartdelta.versioning import stamp

from .models import ExternalFunding, Milestone, Position, ProgressUpdate, Project, Theme


# Editable: themes have no rules; they are the register's headings.
@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "order"]
    prepopulated_fields = {"slug": ["name"]}

    # The version and who changed it last are kept by the portal, not typed by hand.
    readonly_fields = ["version", "updated_at", "updated_by"]

    def get_readonly_fields(self, request, obj=None):
        # A theme's slug is fixed once saved (tables.structure): it is in its tables' addresses.
        return [*self.readonly_fields, *(["slug"] if obj is not None else [])]

    def save_model(self, request, obj, form, change):
        stamp(obj, request.user)
        super().save_model(request, obj, form, change)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else self.prepopulated_fields


# Read-only: external funding is kept in the portal by the programme office, with its version
# and the acting user (`portfolio.funding`, issue 30).
class ExternalFundingInline(ReadOnlyAdmin, admin.TabularInline):
    model = ExternalFunding
    extra = 0


# Read-only: milestones are kept by those who carry the project (`portfolio.progress`).
class MilestoneInline(ReadOnlyAdmin, admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    """Editable but for the coalition: the project's fields have no rule beyond who edits them
    (the programme office, as `beheer` is) and the version, which the save below keeps. The
    decision that closes the coalition binds those who confirmed and is recorded once, in the
    portal (`portfolio.projects.close_coalition`)."""

    list_display = ["name", "theme", "lead", "status", "total_cost"]
    list_filter = ["theme", "status"]
    list_select_related = ["theme", "lead"]
    search_fields = ["name"]
    inlines = [ExternalFundingInline, MilestoneInline]
    # The version and who changed it last are kept by the portal, not typed by hand.
    readonly_fields = [
        "version",
        "updated_at",
        "updated_by",
        "coalition_closed_on",
        "coalition_reference",
    ]

    def save_model(self, request, obj, form, change):
        stamp(obj, request.user)
        super().save_model(request, obj, form, change)


# Read-only: a position is confirmed by a second person and sent back when changed
# (`portfolio.positions`, four eyes).
@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["project", "organisation", "variant", "status", "amount", "version"]
    list_filter = ["variant", "status", "organisation"]
    list_select_related = ["project", "organisation"]


# Read-only: a progress report is posted by a carrier of the project under their own name
# (`portfolio.progress.post_progress`).
@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["project", "date", "light"]
    list_select_related = ["project"]
