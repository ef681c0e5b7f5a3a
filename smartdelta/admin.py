from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from .models import ROLE_FIELDS, InhabitantCount, MailHandling, Organisation, User
from .security import audit
from .twofactor import issue_enrolment_code, reset_two_factor
from .versioning import stamp

READ_ONLY_NOTICE = "Alleen te lezen: dit wijzigt u in het portaal, waar de regels ervoor gelden."


class ReadOnlyAdmin:
    """Mixin for the admin (and the inlines) of a model whose writes have rules in a service:
    four eyes on positions, an adopted budget changes only by a numbered begrotingswijziging, an
    issued letter never changes, the stored figures follow their inputs (issue 32). `beheer` may
    look here; every write goes through the portal, where the service checks the rule.

    Without add, change and delete permission Django answers 403 to those views and shows the
    change page with every field read-only; the view permission stays. Two writes Django does
    not stop are closed here: admin actions (none at all, so none can write), and a POST to
    simple-history's page of an old version, which checks the view permission only and would
    save that version back over the row.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request, action_location=None):
        # No action at all, on the list or (Django 6.1) on the change page.
        return {}

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        context = {"subtitle": READ_ONLY_NOTICE, **(extra_context or {})}
        return super().changelist_view(request, context)

    def render_change_form(self, request, context, *args, **kwargs):
        subtitle = context.get("subtitle")
        context["subtitle"] = f"{subtitle} – {READ_ONLY_NOTICE}" if subtitle else READ_ONLY_NOTICE
        return super().render_change_form(request, context, *args, **kwargs)


# Editable here, because no service of the portal writes them with rules of its own: users
# (role changes are logged below).

# Authenticator apps change only through the audited actions on users below (issue 17):
# django-otp's own admin would let beheer add, edit or delete a device unrecorded.
admin.site.unregister(TOTPDevice)


# Read-only: a count moves money and is recorded in the portal, where a count that would change
# an adopted budget is refused (`finance.inhabitants`, issue 30).
class InhabitantCountInline(ReadOnlyAdmin, admin.TabularInline):
    model = InhabitantCount
    extra = 0


# Read-only: organisations are kept in the portal, where the seven stay fixed, the slug stays
# and a CBS code is checked (`smartdelta.organisations`, issue 30).
@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "helix_kind", "cbs_code"]
    list_filter = ["kind", "helix_kind"]
    search_fields = ["name"]
    inlines = [InhabitantCountInline]


@admin.register(InhabitantCount)
class InhabitantCountAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
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
    # A seat in a regiekamer is appointed or ended with its decision in the portal
    # (`tables.memberships`), which sets these flags in the same transaction: a flag set here
    # would make a member without a seat, seen by nobody who keeps the members.
    readonly_fields = ["is_ambtelijke_regiekamer", "is_bestuurlijke_regiekamer"]
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
        stamp(obj, request.user)
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


# -- Background tasks (smartdelta/mail.py, finance/tasks.py) ---------------------------------
# django-tasks-db's own read-only admin, with a Dutch column that says which mail a row is
# and which attempt. The programme office handles failed mails in the portal
# (/programmabureau/mails/); this list is for an emergency.
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


# Written only by smartdelta.mail (retry_mail, drop_mail): read here, handled in the portal.
@admin.register(MailHandling)
class MailHandlingAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["subject", "recipients", "outcome", "handled_by", "handled_at"]
