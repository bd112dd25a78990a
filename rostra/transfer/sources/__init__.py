"""One parser module per source system. Each has NAME, LABEL, `detect(head)` (the first
bytes of the file) and `parse(path, progress)` → records."""

from importlib import import_module
from pathlib import Path

from django.utils.translation import gettext as _

from rostra.transfer.records import ImportFileError

SOURCE_MODULES = ("rostra", "wordpress", "disqus", "isso", "isso_json", "remark42", "commento")
HEAD_BYTES = 4096


def _module(name: str):
    return import_module(f"rostra.transfer.sources.{name}")


def sources() -> dict[str, object]:
    return {module.NAME: module for module in map(_module, SOURCE_MODULES)}


def choices() -> list[tuple[str, str]]:
    return [(name, module.LABEL) for name, module in sources().items()]


def detect(path: Path):
    """The parser for `path`, from what the file starts with."""
    try:
        with open(path, "rb") as file:
            head = file.read(HEAD_BYTES)
    except OSError as error:
        raise ImportFileError(
            _("Cannot read %(path)s: %(error)s.") % {"path": path, "error": error.strerror}
        ) from None
    if not head.strip():
        raise ImportFileError(_("The file is empty."))
    for module in sources().values():
        if module.detect(head):
            return module
    names = ", ".join(sources())
    raise ImportFileError(
        _(
            "Cannot tell what system exported this file. Name it: rostra import SOURCE FILE, "
            "where SOURCE is one of %(names)s."
        )
        % {"names": names}
    )


def get(name: str):
    found = sources().get(name)
    if found is None:
        raise ImportFileError(
            _("Unknown source %(name)r; choose one of %(names)s.")
            % {"name": name, "names": ", ".join(sources())}
        )
    return found
