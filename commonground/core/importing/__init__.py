"""The import engine (`engine`), imports of one model's records (`records`), and their undo (`journal`)."""

from .engine import Importer, ImportReport, Row, SeenKeys, errors_from_validation, key_digest
from .journal import recover, undo
from .records import ModelImporter, no_such_record

__all__ = [
    "ImportReport", "Importer", "ModelImporter", "Row", "SeenKeys", "errors_from_validation", "key_digest",
    "no_such_record", "recover", "undo",
]  # fmt: skip
