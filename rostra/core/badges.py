"""An event any app may publish when what an account's public badges are made of
changes (funding: a donor shows or hides their supporter badge), so that the apps that
show badges (the discussion's comment cards) build them again. Defined in core because
the app that knows and the app that shows are independent of each other."""

from dataclasses import dataclass


@dataclass(frozen=True)
class AccountBadgesChanged:
    user_id: int
