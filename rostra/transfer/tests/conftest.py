from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "fixtures"


@pytest.fixture
def fixture_file():
    def find(relative: str) -> Path:
        path = FIXTURES / relative
        if not path.exists():
            pytest.fail(f"fixture {path} is missing (the shared fixtures sit beside the checkout)")
        return path

    return find
