"""What an import did, or in a dry run would do, per model: created, updated, deleted."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "deleted", "unchanged")
# The permission each outcome needs (Django's default model permissions).
PERMISSION = {"created": "add", "updated": "change", "deleted": "delete"}


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), per model and outcome."""

    source: str
    committed: bool
    # model class -> Counter of outcome -> number of rows
    by_model: dict = field(default_factory=lambda: defaultdict(Counter))
    warnings: list[str] = field(default_factory=list)

    def count(self, model, outcome: str, n: int = 1) -> None:
        if n:
            self.by_model[model][outcome] += n

    @property
    def counts(self) -> Counter:
        """``(verbose_name_plural, outcome) -> n``, for messages and tests."""
        out = Counter()
        for model, outcomes in self.by_model.items():
            for outcome, n in outcomes.items():
                out[(str(model._meta.verbose_name_plural), outcome)] += n
        return out

    def writes(self) -> dict:
        """``{model: {"created": n, "updated": n, "deleted": n}}``: what the file writes."""
        return {
            model: {o: c[o] for o in PERMISSION if c[o]}
            for model, c in self.by_model.items()
            if any(c[o] for o in PERMISSION)
        }

    def permissions_needed(self) -> set[str]:
        """Django permission names a user needs to commit this file (``app.add_model``...)."""
        perms = set()
        for model, outcomes in self.writes().items():
            opts = model._meta
            for outcome in outcomes:
                perms.add(f"{opts.app_label}.{PERMISSION[outcome]}_{opts.model_name}")
        return perms

    def summary_lines(self) -> list[str]:
        lines = []
        names = sorted(
            self.by_model, key=lambda m: str(m._meta.verbose_name_plural)
        )  # stable, readable order
        for model in names:
            c = self.by_model[model]
            parts = [f"{c[o]} {o}" for o in OUTCOMES if c[o]]
            if parts:
                lines.append(f"  {model._meta.verbose_name_plural}: {', '.join(parts)}")
        return lines
