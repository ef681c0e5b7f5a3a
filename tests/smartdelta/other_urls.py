"""A second URLconf for tests/smartdelta/test_links.py: the same name at another path."""

from django.http import HttpResponse
from django.urls import path

urlpatterns = [path("elders/overzicht/", lambda request: HttpResponse(), name="dashboard")]
