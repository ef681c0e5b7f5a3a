"""Where meeting papers are kept: a folder outside every served path (settings.PAPERS_ROOT).

The storage has no URL: a paper is only ever served by `tables.meeting_views.paper_download`,
which checks that the reader may read the meeting. The folder is read from the settings at
each use, so tests (and a changed deployment) point it elsewhere without reloading models.
"""

import os
import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="tables.storage.PapersStorage")
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


papers_storage = PapersStorage()


def paper_path(instance, filename: str) -> str:
    """A random stored name: the typed name is kept in the row, never on disk."""
    extension = os.path.splitext(filename)[1].lower()
    return f"{secrets.token_hex(16)}{extension}"
