from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portfolio.models import Theme
from smartdelta import permissions


@require_GET
def table_list(request):
    return render(request, "tables/table_list.html", {"themes": Theme.objects.all()})


@require_GET
def regiekamer_overview(request):
    if not permissions.has_collaboration_role(request.user):
        raise PermissionDenied
    return render(request, "tables/regiekamer_overview.html", {})
