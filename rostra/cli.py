"""The `rostra` console command.

Every Django and Wagtail management command works through it (`rostra migrate`,
`rostra createsuperuser` ...), next to Rostra's own: `serve`, `worker`, `setup`, `import` ...

`rostra`, `rostra --help` and `rostra --version` answer without starting Django: an operator
asking what the command can do should not wait for ~80 framework commands to load. The list
of Rostra's own commands is read from the command modules' source (their `help` text), so
it cannot drift from what `rostra <command>` runs.
"""

import ast
import sys
import textwrap
from pathlib import Path

import rostra
from rostra.config import env

PACKAGE = Path(rostra.__file__).resolve().parent
HELP_FLAGS = {"-h", "--help"}
VERSION_FLAGS = {"--version", "version"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in HELP_FLAGS or args == ["help"]:
        sys.stdout.write(overview())
        return
    if args[0] in VERSION_FLAGS and len(args) == 1:
        sys.stdout.write(f"rostra {rostra.__version__}\n")
        return
    if args[:2] == ["help", "--all"]:
        args = ["help"]
    env.use_default_settings_module()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rostra", *args])


def own_commands() -> dict[str, str]:
    """Rostra's management commands and the first sentence of each one's help."""
    commands = {}
    for path in sorted(PACKAGE.glob("*/management/commands/*.py")):
        if path.name.startswith("_"):
            continue
        commands[path.stem] = _first_sentence(_command_help(path))
    return dict(sorted(commands.items()))


def overview() -> str:
    width = max(len(name) for name in own_commands())
    lines = [
        f"rostra {rostra.__version__}: a self-hosted platform for independent newsrooms.",
        "",
        "Usage: rostra <command> [options]      rostra <command> --help for its options",
        "",
        "Rostra's commands:",
        *(
            textwrap.fill(
                text,
                width=88,
                initial_indent=f"  {name.ljust(width)}  ",
                subsequent_indent=" " * (width + 4),
            )
            for name, text in own_commands().items()
        ),
        "",
        "Django's and Wagtail's commands (migrate, createsuperuser, check --deploy, ...) also",
        "work: `rostra help --all` lists them.",
        "",
    ]
    return "\n".join(lines)


def _command_help(path: Path) -> str:
    """The command's constant `help`, else its module docstring without the usage part."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == "Command":
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(getattr(t, "id", None) == "help" for t in statement.targets)
                    and isinstance(statement.value, ast.Constant)
                ):
                    return str(statement.value.value)
    docstring = ast.get_docstring(tree) or ""
    usage, colon, description = docstring.partition(": ")
    return description if colon and usage.startswith("rostra ") else docstring


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    sentence, _, _ = text.partition(". ")
    return sentence[:1].upper() + sentence[1:].rstrip(".")
