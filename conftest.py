"""Fixtures shared by every test module."""

import pytest


@pytest.fixture
def home(db):
    from rostra.publishing.testing import make_home

    return make_home()


@pytest.fixture
def section(home):
    from rostra.publishing.testing import make_section

    return make_section(home, "World", description="News from elsewhere.")
