from pathlib import Path

import pytest

# Real export files from other systems (see fixtures/SOURCES.md for origin and licences),
# copied byte for byte so a clean clone tests against them.
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def fixture_file():
    def find(relative: str) -> Path:
        path = FIXTURES / relative
        if not path.exists():
            pytest.fail(f"fixture {path} is missing")
        return path

    return find
