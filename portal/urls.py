"""The portal's URLs: the shell puts the core's pages (login, health) and each app's URLs
under one root. The core (`smartdelta/`) imports no app; this file is why it need not."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

import smartdelta.converters  # noqa: F401  (registers <id:…> and <year:…>)
from smartdelta import account_views, twofactor, views
from smartdelta.forms import LoginForm

from . import views as portal_views

admin.site.site_header = "Smart Delta Drechtsteden – beheer"
admin.site.site_title = "Smart Delta beheer"

urlpatterns = [
    path("", portal_views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        login_not_required(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("accounts/tweestaps/", twofactor.two_factor, name="two-factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The link in an invitation (smartdelta.accounts): set a password, once.
    path(
        "accounts/wachtwoord/<uidb64>/<token>/",
        account_views.password_set,
        name="password-set",
    ),
    path("beheer/", admin.site.urls),
    # What the programme office kept in /beheer/ before (issue 30): failed mails, accounts.
    path("programmabureau/", include("smartdelta.office_urls")),
    path("projecten/", include("portfolio.urls")),
    path("tafels/", include("tables.urls")),
    path("regiekamer/", include("tables.regiekamer_urls")),
    path("smart-delta-partners/", include("tables.partners_urls")),
    # Every meeting's pages, whichever body holds it (issue 31).
    path("vergaderingen/", include("meetings.urls")),
    path("", include("finance.urls")),
    path("raadsprocedures/", include("councils.urls")),
    path("", include("following.urls")),
    path("resultaten/", include("results.urls")),
    # Without an account: what the collaboration decided (issue 28).
    path("", include("openbaar.urls")),
    # For other systems, without an account: the read-only API /api/v1 (issue 28).
    path("", include("api.urls")),
]

handler400 = "smartdelta.views.bad_request"
handler403 = "smartdelta.views.permission_denied"
handler500 = "smartdelta.views.server_error"
