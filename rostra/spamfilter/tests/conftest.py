import pytest

from rostra.discussion.services import thread_for_article
from rostra.publishing.testing import make_article
from rostra.spamfilter.services import filter_train
from rostra.spamfilter.testing import corpus, record_decisions


@pytest.fixture
def article(section):
    return make_article(
        section, "Council publishes the new budget", text="The council should explain it."
    )


@pytest.fixture
def thread(article):
    return thread_for_article(article)


@pytest.fixture
def trained(thread):
    """A current version trained on 140 legitimate and 90 spam decisions."""
    record_decisions(thread, corpus(ham=140, spam=90))
    return filter_train(trigger="test")
