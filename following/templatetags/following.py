from django import template

from following.buttons import button_context

register = template.Library()


@register.inclusion_tag("following/_follow_button.html", takes_context=True)
def follow_button(context, subject):
    """The follow/unfollow button of a project, theme or table: `{% follow_button project %}`."""
    request = context["request"]
    return button_context(request.user, subject, request.get_full_path())
