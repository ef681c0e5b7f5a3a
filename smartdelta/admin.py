from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import ROLE_FIELDS, InhabitantCount, Organisation, User
from .security import audit


class InhabitantCountInline(admin.TabularInline):
    model = InhabitantCount
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "helix_kind", "cbs_code"]
    list_filter = ["kind", "helix_kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [InhabitantCountInline]


@admin.register(InhabitantCount)
class InhabitantCountAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "reference_date", "inhabitants", "source"]
    list_filter = ["organisation"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "get_full_name", "organisation", "role_labels", "is_active"]
    list_filter = [
        "organisation",
        "is_official",
        "is_councillor",
        "is_ambtelijke_regiekamer",
        "is_bestuurlijke_regiekamer",
        "is_programme_office",
        "is_active",
    ]
    list_select_related = ["organisation"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            "Organisatie en rollen",
            {
                "fields": [
                    "organisation",
                    "is_official",
                    "is_councillor",
                    "is_ambtelijke_regiekamer",
                    "is_bestuurlijke_regiekamer",
                    "is_programme_office",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        changed = sorted(
            field
            for field in [*ROLE_FIELDS.values(), "organisation", "is_staff"]
            if field in form.changed_data
        )
        super().save_model(request, obj, form, change)
        if changed:
            audit(request, "role.change", f"user={obj.username} fields={','.join(changed)}")

    @admin.display(description="rollen")
    def role_labels(self, obj):
        return obj.role_labels()
