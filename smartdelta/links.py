"""`reverse()` remembered per process: the portal's `{% url %}` tag and the cell tags use it.

A sorteerbak, table or regiekamer page links every row (60-90 links a page), and Django's
reverse() costs some 30 µs each: namespace lookups, the candidate patterns, a regular
expression check and quoting, about a tenth of such a page. Its answer depends only on what
the key holds: the URL resolver (one object per URLconf; Django makes a new one when the
URLconf changes, so an old answer is never found), the script prefix and language of the
request, the view name, the current app and the arguments. Only arguments that are strings or
integers are remembered (a model instance's str() could change); anything else, and every
failure, goes to reverse() itself.
"""

from functools import lru_cache

from django.urls import get_resolver, get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import get_language

SIMPLE = (str, int)


@lru_cache(maxsize=8192)
def _reverse(resolver, prefix, language, viewname, args, kwargs, current_app) -> str:
    return django_reverse(
        viewname,
        urlconf=resolver.urlconf_name,
        args=args,
        kwargs=dict(kwargs),
        current_app=current_app,
    )


def reverse(viewname, args=(), kwargs=None, current_app=None) -> str:
    """django.urls.reverse for a view name, with the answer remembered (see the module)."""
    kwargs = kwargs or {}
    if not isinstance(viewname, str) or not all(
        type(value) in SIMPLE for value in (*args, *kwargs.values())
    ):
        return django_reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    return _reverse(
        get_resolver(get_urlconf()),
        get_script_prefix(),
        get_language(),
        viewname,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
    )
