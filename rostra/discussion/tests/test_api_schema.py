"""The JSON API keeps the contract its OpenAPI schema publishes, under schemathesis.

Schemathesis reads /api/openapi.json from a real HTTP server (the test's live server:
the real application on the test database, SQLite or PostgreSQL) and sends generated
requests, valid and invalid, in every phase (schema examples, coverage of boundaries,
random fuzzing, stateful sequences), checking each answer with all of its checks: no
server error, and no status, content type, header or body that the schema does not
describe. The number of requests is bounded and the seed fixed, so the run is the same
each time and takes well under a minute; nothing leaves the machine.
"""

import subprocess
import sys

import pytest
from django.core import signing

from rostra.discussion.identity import GUEST_COOKIE, GUEST_COOKIE_SALT, Viewer, guest_key
from rostra.discussion.services import thread_for_article
from rostra.discussion.testing import post
from rostra.publishing.testing import make_article, make_home, make_section

# The live server runs in another thread, so it must see committed data.
# The schema and the answers to malformed requests do not depend on the database (the
# PostgreSQL pass runs the API's own tests): the fuzzer runs in the SQLite pass only.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.database_independent]

CSRF_TOKEN = "SchemathesisRunsWithThisCsrfTkn1"  # 32 letters and digits, as Django's are

CONFIG = """
workers = 1
seed = 20261126
max-failures = 20
headers = {{ "X-CSRFToken" = "{csrf}", "Cookie" = "{cookie}" }}

[generation]
max-examples = {max_examples}
database = "none"

[phases.stateful]
max-steps = 6

# Half of the generated requests name a thread and a comment that exist, so that they
# get past "not found" to the rules behind it.
[dictionaries.threads]
values = ["{thread}"]
[dictionaries.comments]
values = [{comments}]
[parameters]
"body.thread" = {{ dictionary = "threads", probability = 0.5 }}
"query.thread" = {{ dictionary = "threads", probability = 0.5 }}
"path.comment_id" = {{ dictionary = "comments", probability = 0.5 }}

[checks.positive_data_acceptance]
# A schema cannot state every rule of the discussion: a well-formed comment can still be
# blank once trimmed, too long for this site's limit, or a reply to a deleted comment.
# Those answers are 400 with the reason. The other statuses are schemathesis's defaults
# (5xx among them only because not_a_server_error is the check that reports it).
expected-statuses = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
"""


@pytest.fixture
def thread():
    """A live article's thread (make_home restores what an earlier transactional test's
    flush took)."""
    section = make_section(make_home(), "World")
    return thread_for_article(make_article(section, "Harbour road", text="The road closes."))


def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(
    live_server, thread, tmp_path
):
    """Every answer to every generated request is one the schema declares, and none is a
    server error."""
    # Every request comes from one guest, who wrote these comments: edits and deletes
    # can succeed, and votes on other readers' comments too.
    guest_token = "schemathesis-guest"
    author = Viewer(key=guest_key(guest_token), ip_hash="schemathesis")
    own = [post(thread, author, body=f"Own comment {n}").pk for n in range(3)]
    others = [post(thread, body=f"Another reader's comment {n}").pk for n in range(3)]
    signer = signing.get_cookie_signer(salt=GUEST_COOKIE + GUEST_COOKIE_SALT)
    cookie = f"csrftoken={CSRF_TOKEN}; {GUEST_COOKIE}={signer.sign(guest_token)}"
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        CONFIG.format(
            csrf=CSRF_TOKEN,
            cookie=cookie,
            max_examples=20,
            thread=thread.key,
            comments=", ".join(map(str, own + others)),
        )
    )
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(config)),
        *("run", f"{live_server.url}/api/openapi.json", "--checks", "all", "--no-color"),
    ]
    run = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False
    )
    # Exit status 0: no failure of any check and no error; warnings (such as requests
    # the service refused for reasons the schema cannot state) do not count.
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
    assert " passed" in run.stdout and "failed" not in run.stdout, run.stdout[-20_000:]
