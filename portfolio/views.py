from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import Project


@require_GET
def project_list(request):
    projects = Project.objects.for_user(request.user).select_related("theme", "lead")
    return render(request, "portfolio/project_list.html", {"projects": projects})
