"""The importer's output: a plan draft as plain dataclasses.

Its JSON form is the contract of ``shared/PLAN_JSON.md`` (schema ``kehoach.plan/1``). Nothing
here imports Django: the importer reads documents, ``plans.services`` turns drafts into rows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA = "kehoach.plan/1"

DeadlineKind = Literal["date", "recurring", "continuous", "none"]


class PlanImportError(Exception):
    """A document that cannot become a plan draft. ``message`` is Vietnamese, for the user."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class Deadline:
    kind: DeadlineKind = "none"
    date: dt.date | None = None
    text: str | None = None


@dataclass
class LegalBasisDraft:
    kind: str | None
    number: str | None
    date: dt.date | None
    issuer: str | None
    text: str
    subject: str | None = None


@dataclass
class TaskDraft:
    code: str
    title: str
    lead_units: list[str] = field(default_factory=list)
    support_units: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)
    deliverables: list[str] = field(default_factory=list)
    deadline: Deadline = field(default_factory=Deadline)


@dataclass
class Signer:
    authority: str | None = None
    position: str | None = None
    name: str | None = None


@dataclass
class ImportWarning:
    code: str
    message: str
    where: str | None = None


@dataclass
class SourceInfo:
    filename: str
    sha256: str
    format: Literal["docx", "md", "txt", "pdf"]


@dataclass
class PlanDraft:
    source: SourceInfo
    issuer: str | None = None
    number: str | None = None
    place: str | None = None
    date: dt.date | None = None
    date_text: str | None = None
    year: int | None = None
    title: str | None = None
    legal_bases: list[LegalBasisDraft] = field(default_factory=list)
    purposes: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    budget: list[str] = field(default_factory=list)
    timeline: str | None = None
    overall_deadline: Deadline = field(default_factory=Deadline)
    organisation: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer: Signer = field(default_factory=Signer)
    warnings: list[ImportWarning] = field(default_factory=list)

    def warn(self, code: str, message: str, where: str | None = None) -> None:
        self.warnings.append(ImportWarning(code=code, message=message, where=where))

    def to_dict(self) -> dict[str, Any]:
        data = {"schema": SCHEMA, **asdict(self)}
        return _jsonable(data)

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanDraft:
        """Rebuild a draft from its JSON form (the review screen posts edited JSON back)."""

        def deadline(d: dict[str, Any] | None) -> Deadline:
            d = d or {}
            return Deadline(
                kind=d.get("kind") or "none", date=_date(d.get("date")), text=d.get("text")
            )

        return cls(
            source=SourceInfo(**data["source"]),
            issuer=data.get("issuer"),
            number=data.get("number"),
            place=data.get("place"),
            date=_date(data.get("date")),
            date_text=data.get("date_text"),
            year=data.get("year"),
            title=data.get("title"),
            legal_bases=[
                LegalBasisDraft(
                    kind=b.get("kind"),
                    number=b.get("number"),
                    date=_date(b.get("date")),
                    issuer=b.get("issuer"),
                    text=b.get("text") or "",
                    subject=b.get("subject"),
                )
                for b in data.get("legal_bases") or []
            ],
            purposes=list(data.get("purposes") or []),
            requirements=list(data.get("requirements") or []),
            audiences=list(data.get("audiences") or []),
            tasks=[
                TaskDraft(
                    code=t["code"],
                    title=t["title"],
                    lead_units=list(t.get("lead_units") or []),
                    support_units=list(t.get("support_units") or []),
                    content=list(t.get("content") or []),
                    deliverables=list(t.get("deliverables") or []),
                    deadline=deadline(t.get("deadline")),
                )
                for t in data.get("tasks") or []
            ],
            budget=list(data.get("budget") or []),
            timeline=data.get("timeline"),
            overall_deadline=deadline(data.get("overall_deadline")),
            organisation=list(data.get("organisation") or []),
            recipients=list(data.get("recipients") or []),
            signer=Signer(**(data.get("signer") or {})),
            warnings=[ImportWarning(**w) for w in data.get("warnings") or []],
        )


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
