"""Whether the Django and Wagtail release lines Rostra runs on still get security fixes.

README ("Upgrades") states the policy: Rostra stays on Django's LTS line and the newest
Wagtail feature release, and moves before the line's security support ends. The dates
below come from each project's release schedule; the deploy check warns once today is
past the end of the installed line, so a forgotten upgrade shows in `check --deploy`.
A test fails when the pinned line is missing here, so moving the pin means adding it.
"""

from datetime import date

import django
import wagtail
from django.core.checks import Tags, Warning, register

# Last day of security fixes for each release line (major, minor).
SECURITY_SUPPORT_ENDS: dict[str, dict[tuple[int, int], date]] = {
    "Django": {
        (5, 2): date(2028, 4, 30),  # LTS
        (6, 0): date(2027, 4, 30),
    },
    "Wagtail": {
        (8, 0): date(2027, 2, 2),
    },
}


def installed_lines() -> dict[str, tuple[int, int]]:
    return {"Django": django.VERSION[:2], "Wagtail": wagtail.VERSION[:2]}


def lines_past_support(*, today: date, installed: dict[str, tuple[int, int]]) -> list[str]:
    """One sentence per installed line whose security support ended before `today`."""
    past = []
    for project, line in installed.items():
        ends = SECURITY_SUPPORT_ENDS[project].get(line)
        if ends is not None and today > ends:
            past.append(f"{project} {line[0]}.{line[1]} (security support ended {ends:%Y-%m-%d})")
    return past


@register(Tags.security, deploy=True)
def release_lines_are_supported(app_configs, *, today: date | None = None, **kwargs):
    past = lines_past_support(today=today or date.today(), installed=installed_lines())
    if not past:
        return []
    return [
        Warning(
            f"Rostra runs on a release line that no longer gets security fixes: {', '.join(past)}.",
            hint="Upgrade Rostra to a version on a supported line (see CHANGELOG.md), "
            "then run `rostra upgrade`.",
            id="rostra.W010",
        )
    ]
