"""Uploaded documents are what their names say.

Wagtail checks a document's extension only, so a program renamed report.pdf would be offered to
visitors as a PDF. Binary formats start with a known signature; this form checks it, in every
admin view that takes a document file (upload, multiple upload, chooser, replace).
"""

import os

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

ZIP = (b"PK\x03\x04",)  # Office Open XML and OpenDocument files are ZIP archives too
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "rtf": (b"{\\rtf",),
    "docx": ZIP,
    "pptx": ZIP,
    "xlsx": ZIP,
    "odt": ZIP,
    "ods": ZIP,
    "zip": ZIP,
}


def starts_as_its_extension_says(file):
    extension = os.path.splitext(file.name)[1][1:].lower()
    signatures = SIGNATURES.get(extension)
    if signatures is None:  # plain text formats (csv, txt) have no signature
        return True
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    return head.startswith(signatures)


class DocumentForm(BaseDocumentForm):
    def _post_clean(self):
        # Wagtail's Document.clean checks the extension of the instance's file, which is still
        # empty once the file field has been refused (too large, wrong contents): it would add
        # "File extension “” is not allowed" to the real reason.
        if not self.has_error("file"):
            super()._post_clean()

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data and not starts_as_its_extension_says(file):
            raise ValidationError(
                _("This file's contents do not match its extension."), code="content_mismatch"
            )
        return file
