"""Check an uploaded agreement document: its size, its extension, and that its bytes match the extension."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The first bytes each accepted kind of file begins with.
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
}


def check_document(upload, max_bytes: int, types: dict[str, str]) -> None:
    """Raise a ValidationError unless the upload is an accepted kind of document within the size limit."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The document is %(size)d KB; the limit is %(limit)d KB.")
            % {"size": upload.size // 1024, "limit": max_bytes // 1024}
        )
    extension = Path(upload.name or "").suffix.lower()
    if extension not in types:
        raise ValidationError(_("Upload one of: %(types)s.") % {"types": ", ".join(sorted(types))})
    head = upload.read(8)
    upload.seek(0)
    signatures = SIGNATURES.get(extension)
    if signatures and not head.startswith(signatures):
        raise ValidationError(_("The file's contents are not a %(ext)s document.") % {"ext": extension})
    if extension == ".txt" and b"\0" in head:
        raise ValidationError(_("The file's contents are not plain text."))
