from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BudgetLine, BudgetYear, Financing, LetterText


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["name", "component", "amount", "realised", "order"]


class FinancingInline(admin.TabularInline):
    model = Financing
    extra = 0
    fields = ["kind", "organisation", "description", "amount", "realised"]


@admin.register(BudgetYear)
class BudgetYearAdmin(SimpleHistoryAdmin):
    list_display = ["year", "status", "indexation_percent", "carried_over"]
    fields = ["year", "status", "indexation_percent", "reference_date", "carried_over", "note"]
    inlines = [BudgetLineInline, FinancingInline]


@admin.register(LetterText)
class LetterTextAdmin(SimpleHistoryAdmin):
    list_display = ["budget", "subject"]
    fields = [
        "budget",
        "subject",
        "portfolio_holder",
        "introduction",
        "key_message",
        "consequences",
        "next_steps",
    ]
