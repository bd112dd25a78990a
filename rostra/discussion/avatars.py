"""Avatars drawn locally: initials on a colour derived from the author's key."""

import hashlib

from django.utils.html import format_html

# Background colours dark enough for white initials at WCAG AA.
PALETTE = ["#8e3b46", "#2f5d8a", "#3f6f4a", "#6b4c9a", "#9a5b13", "#2d6b6b", "#7a3e7a", "#4d5a6a"]


def initials(name: str) -> str:
    parts = [p for p in name.replace("(", " ").split() if p[:1].isalnum()]
    if not parts:
        return "?"
    letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
    return letters.upper()


def avatar_svg(name: str, key: str, size: int = 40):
    digest = hashlib.sha256(key.encode()).digest()
    colour = PALETTE[digest[0] % len(PALETTE)]
    return format_html(
        '<svg class="avatar" width="{}" height="{}" viewBox="0 0 40 40" aria-hidden="true" '
        'focusable="false"><circle cx="20" cy="20" r="20" fill="{}"/>'
        '<text x="20" y="25.5" text-anchor="middle" font-size="15" font-weight="700" '
        'font-family="system-ui, sans-serif" fill="#fff">{}</text></svg>',
        size,
        size,
        colour,
        initials(name),
    )
