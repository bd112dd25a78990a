"""What an import did, by kind of record: the summary the command prints and the admin
keeps with the run."""

from collections import Counter
from dataclasses import dataclass, field

KINDS = (
    "article",
    "thread",
    "comment",
    "vote",
    "subscription",
    "donation",
    "moderation",
    "report",
)


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    rejected: int = 0
    reasons: Counter = field(default_factory=Counter)  # "skipped: why" / "rejected: why"

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "reasons": dict(self.reasons.most_common()),
        }


@dataclass
class Summary:
    source: str
    dry_run: bool = False
    records: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    warnings: list[str] = field(default_factory=list)

    def count(self, kind: str, outcome: str, reason: str = "", n: int = 1) -> None:
        tally = self.tallies[kind]
        setattr(tally, outcome, getattr(tally, outcome) + n)
        if reason:
            tally.reasons[f"{outcome}: {reason}"] += n

    def as_dict(self) -> dict:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "records": self.records,
            "kinds": {k: t.as_dict() for k, t in self.tallies.items() if _nonzero(t)},
            "warnings": self.warnings,
        }

    def lines(self) -> list[str]:
        verb = "Would import" if self.dry_run else "Imported"
        out = [f"{verb} from {self.source}: {self.records:,} records read."]
        for kind, tally in self.tallies.items():
            if not _nonzero(tally):
                continue
            out.append(
                f"  {kind + 's':<14} created {tally.created:>7,}  updated {tally.updated:>7,}"
                f"  skipped {tally.skipped:>7,}  rejected {tally.rejected:>7,}"
            )
            out.extend(f"      {n:>7,} × {why}" for why, n in tally.reasons.most_common(12))
        out.extend(f"  note: {warning}" for warning in self.warnings)
        if self.dry_run:
            out.append("Dry run: nothing was saved.")
        return out


def _nonzero(tally: Tally) -> bool:
    return bool(tally.created or tally.updated or tally.skipped or tally.rejected)
