"""A pytest plugin loaded before any other (`-p` in pyproject.toml's addopts): the test
run keeps compiled bytecode, whatever PYTHONDONTWRITEBYTECODE says (some containers set
it). Without it, every test process and every `rostra` process a test starts (setup,
serve, worker, migrate: a few hundred per run) compiles Django, Wagtail and Rostra from
source again, about 5 CPU-seconds each. Loaded as a plugin, not from conftest.py, because
pytest-django imports Django before the first conftest.py; the processes the run starts
inherit the environment. __pycache__ folders are git-ignored.
"""

import os
import sys

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False
