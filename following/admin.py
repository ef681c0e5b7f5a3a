from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DigestPreference, DigestSent, Follow

# Editable, all three: what a person follows and how often they hear of it are their own choices
# with no rule beyond that (the digest shows only what its reader may see, `following.digest`),
# and deleting a DigestSent row lets that digest go out again.


@admin.register(Follow)
class FollowAdmin(SimpleHistoryAdmin):
    list_display = ["user", "project", "theme", "table", "created_at"]
    list_select_related = ["user", "project", "theme", "table__theme"]


@admin.register(DigestPreference)
class DigestPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ["user", "period"]
    list_filter = ["period"]


@admin.register(DigestSent)
class DigestSentAdmin(admin.ModelAdmin):
    list_display = ["user", "period", "key", "items", "sent_at"]
    list_filter = ["period"]
    readonly_fields = ["user", "period", "key", "since", "until", "items", "sent_at"]
