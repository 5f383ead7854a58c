"""Plan importer: a document in, a :class:`PlanDraft` out. Imports no Django.

Entry points: :func:`parse_file` and :func:`parse_bytes`; both raise :class:`PlanImportError`
with a Vietnamese message for input that is not a plan.
"""

from .draft import (
    Deadline,
    ImportWarning,
    LegalBasisDraft,
    PlanDraft,
    PlanImportError,
    Signer,
    SourceInfo,
    TaskDraft,
)
from .pipeline import parse_bytes, parse_file

__all__ = [
    "Deadline",
    "ImportWarning",
    "LegalBasisDraft",
    "PlanDraft",
    "PlanImportError",
    "Signer",
    "SourceInfo",
    "TaskDraft",
    "parse_bytes",
    "parse_file",
]
