from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def budget_current(request):
    return render(request, "finance/budget_current.html", {})
