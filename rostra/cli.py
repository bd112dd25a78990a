"""The `rostra` console command.

Every Django and Wagtail management command works through it (`rostra migrate`,
`rostra createsuperuser` ...), next to Rostra's own: `serve`, `worker`, `demo`, `setup`.
"""

import sys

from rostra.config import env


def main(argv: list[str] | None = None) -> None:
    env.use_default_settings_module()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rostra", *(sys.argv[1:] if argv is None else argv)])
