"""Where meeting papers are kept: Django's storage alias "papers" (settings.STORAGES).

By default a folder outside every served path (settings.PAPERS_ROOT, `PapersStorage`); with
PAPERS_STORAGE=s3 an S3-compatible object store (django-storages), for app servers on several
hosts. Either way a paper has no URL of its own: it is only ever served by
`meetings.meeting_views.paper_download`, which checks that the reader may read the meeting and
streams the bytes itself. The folder is read from the settings at each use, so tests (and a
changed deployment) point it elsewhere without reloading models.
"""

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty


@deconstructible(path="meetings.storage.PapersStorage")
class PapersStorage(FileSystemStorage):
    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return str(settings.PAPERS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Stukken hebben geen eigen adres; zie paper_download.")


class _Papers(LazyObject):
    """storages["papers"], as `default_storage` is storages["default"]."""

    def _setup(self):
        self._wrapped = storages["papers"]


papers_storage = _Papers()


@receiver(setting_changed)
def _papers_storage_changed(*, setting, **kwargs):
    # Django forgets its storages when STORAGES changes (tests); so does papers_storage.
    if setting == "STORAGES":
        papers_storage._wrapped = empty


def get_papers_storage():
    """The model field's storage: a callable, so the migration names no backend."""
    return papers_storage


def paper_path(instance, filename: str) -> str:
    """A random stored name: the typed name is kept in the row, never on disk."""
    extension = os.path.splitext(filename)[1].lower()
    return f"{secrets.token_hex(16)}{extension}"
