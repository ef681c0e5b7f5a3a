from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from smartdelta.admin import ReadOnlyAdmin
from smartdelta.versioning import stamp

from .models import BudgetLine, BudgetYear, Financing, LetterText

# Budgets, their lines and financing are read-only here: an adopted budget changes only by a
# numbered begrotingswijziging (`finance.budget.save_budget`). Amendments, issued letters and
# the stored figures (ProjectYear, Share, PartyYear, YearTotal, FiguresBasis, RenderedLetter)
# are not in the admin at all.


class BudgetLineInline(ReadOnlyAdmin, admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["name", "component", "amount", "realised", "order"]


class FinancingInline(ReadOnlyAdmin, admin.TabularInline):
    model = Financing
    extra = 0
    fields = ["kind", "organisation", "description", "amount", "realised"]


@admin.register(BudgetYear)
class BudgetYearAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["year", "status", "indexation_percent", "carried_over"]
    fields = ["year", "status", "indexation_percent", "reference_date", "carried_over", "note"]
    inlines = [BudgetLineInline, FinancingInline]


# Editable: the letter's free text has no rule beyond who writes it (the programme office, as
# `beheer` is) and the version, which the save below keeps; what a municipality was sent is kept
# apart, unchangeable, in its IssuedLetter.
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

    def save_model(self, request, obj, form, change):
        # A new version, so a letter form opened before this save is refused, not overwritten.
        stamp(obj, request.user)
        super().save_model(request, obj, form, change)
