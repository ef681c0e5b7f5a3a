"""What a follow button shows: shared by the template tag on the pages and the htmx answer."""

from django.urls import reverse

from smartdelta import permissions

from . import follows

NOUNS = {"project": "project", "theme": "thema", "table": "tafel"}


def button_context(user, subject, next_url: str) -> dict:
    field = follows.subject_field(subject)
    if field == "project":
        url, key, label = (
            reverse("following:follow-project", args=[subject.pk]),
            subject.pk,
            str(subject),
        )
    elif field == "theme":
        url, key, label = (
            reverse("following:follow-theme", args=[subject.slug]),
            subject.slug,
            str(subject),
        )
    else:
        url, key = reverse("following:follow-table", args=[subject.slug]), subject.slug
        label = f"tafel {subject.theme.name}"
    return {
        "can_follow": permissions.can_follow(user),
        "following": permissions.can_follow(user) and follows.is_following(user, subject),
        "region_id": f"volgen-{NOUNS[field]}-{key}",
        "url": url,
        "noun": NOUNS[field],
        "label": label,
        "next": next_url,
    }
