from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .models import ROLE_FIELDS, InhabitantCount, Organisation, User
from .security import audit
from .twofactor import issue_enrolment_code, reset_two_factor

# Authenticator apps change only through the audited actions on users below (issue 17):
# django-otp's own admin would let beheer add, edit or delete a device unrecorded.
admin.site.unregister(TOTPDevice)


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
    list_display = [
        "username",
        "get_full_name",
        "organisation",
        "role_labels",
        "has_authenticator",
        "is_active",
    ]
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
    actions = ["issue_enrolment_codes", "reset_authenticators"]
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

    def get_queryset(self, request):
        linked = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_authenticator=Exists(linked))

    @admin.display(description="app gekoppeld", boolean=True)
    def has_authenticator(self, obj):
        return obj.has_authenticator

    @admin.action(
        description="Koppelcode voor de authenticator-app uitgeven", permissions=["change"]
    )
    def issue_enrolment_codes(self, request, queryset):
        """Shows each code once, on this page; only its hash is kept."""
        issued = [
            (user, *issue_enrolment_code(request.user, user, request))
            for user in queryset.filter(is_active=True)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": "Koppelcodes voor de authenticator-app",
            "issued": [(user, code, record.valid_until) for user, code, record in issued],
            "opts": self.model._meta,
        }
        return render(request, "registration/enrolment_codes.html", context)

    @admin.action(description="Authenticator-app ontkoppelen", permissions=["change"])
    def reset_authenticators(self, request, queryset):
        for user in queryset:
            reset_two_factor(request.user, user, request)
        messages.success(
            request,
            f"Authenticator-app ontkoppeld voor {queryset.count()} gebruiker(s). Geef een "
            "koppelcode uit om een nieuwe app te koppelen.",
        )
