import pytest

from rostra.discussion.services import thread_for_article
from rostra.publishing.testing import make_article


@pytest.fixture
def article(section):
    return make_article(section, "Harbour road closes on Sundays", text="The road will close.")


@pytest.fixture
def thread(article):
    return thread_for_article(article)
