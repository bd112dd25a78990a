"""The data directory and the files in it belong to Rostra's account and group only.

The directory holds the SQLite database (readers' e-mail addresses, hashed passwords),
its WAL and shared-memory files, the signing key and uploaded import files. Every
`rostra` process creates files 0640 and directories 0750 (umask 027): its group may
read, so a reverse proxy in that group can serve `media/` itself; other users of the
machine can neither read nor list anything. SQLite gives the -wal and -shm files the
database file's mode.
"""

import os
import stat
import warnings
from pathlib import Path

UMASK = 0o027
DIRECTORY_MODE = 0o750


def prepare_data_dir(path: Path) -> Path:
    """Set this process's umask, create `path` 0750 and take others' access off it."""
    os.umask(UMASK)
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o007:  # created by an older version, or by hand
        try:
            path.chmod(mode & ~0o007)
        except PermissionError:
            warnings.warn(
                f"{path} is readable by every user of this machine and Rostra may not "
                "change that; remove others' access (chmod o-rwx) yourself.",
                stacklevel=2,
            )
    return path
