"""“Notify of” answers beside the control (#17 item 4): in place with htmx, and at the
control's anchor without JavaScript, with the reader's choice and address kept; the
pages of e-mailed links lead back to the article."""

import pytest

from rostra.discussion.services import thread_for_article
from rostra.notifications import services
from rostra.notifications.models import Subscription
from rostra.publishing.testing import make_article, make_section

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def article(home):
    return make_article(make_section(home, "World"), "Harbour road closes on Sundays")


def _subscribe(client, article, headers=None, **data):
    url = f"/notifications/subscribe/{article.pk}/"
    return client.post(url, {"kind": "thread", **data}, headers=headers or {})


def _notify_form(html: str) -> str:
    start = html.index('<form class="notify"')
    return html[start : html.index("</form>", start)]


def test_the_form_sends_the_reader_back_to_itself(client, article):
    """Without JavaScript the form's action ends in #notify: a refusal shown again in
    the answer is in view."""
    form = _notify_form(client.get(article.url).content.decode())
    assert 'id="notify"' in form
    assert f'action="/notifications/subscribe/{article.pk}/#notify"' in form


def test_success_without_javascript_lands_on_the_control_with_the_address_kept(client, article):
    """The redirect goes to the control's anchor; the page shows the answer there (not
    at the top of the page), with the address still in the field, once."""
    response = _subscribe(client, article, email="ana@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}#notify"
    html = client.get(response["Location"]).content.decode()
    form = _notify_form(html)
    assert "we sent a confirmation link to ana@example.org" in form
    assert 'role="status" id="notify-message"' in form
    assert 'value="ana@example.org"' in form
    assert 'class="container messages"' not in html
    again = client.get(article.url).content.decode()
    assert "confirmation link" not in again, "the answer is shown once"


def test_refusal_without_javascript_is_beside_the_control_with_the_address_kept(client, article):
    response = _subscribe(client, article, email="not-an-email", kind="replies")
    assert response.status_code == 400
    form = _notify_form(response.content.decode())
    assert 'role="alert" id="notify-message"' in form
    assert "Please give a valid e-mail address" in form
    assert 'value="not-an-email" aria-invalid="true"' in form
    assert '<option value="replies" selected>' in form


def test_htmx_gets_the_control_alone_with_its_answer(client, article):
    """With htmx the answer is the form, to swap in place: the message, the address."""
    response = _subscribe(client, article, headers=HTMX, email="bo@example.org")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<form class="notify" id="notify"')
    assert "we sent a confirmation link to bo@example.org" in html
    assert 'value="bo@example.org"' in html
    assert Subscription.objects.filter(email="bo@example.org").exists()


def test_htmx_refusal_is_a_4xx_with_the_control_and_its_reason(client, article):
    response = _subscribe(client, article, headers=HTMX, email="nope")
    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith('<form class="notify"')
    assert "Please give a valid e-mail address" in html and 'value="nope"' in html
    assert not Subscription.objects.exists()


def test_a_shared_page_gets_no_session_from_the_control(client, article):
    """Looking for a waiting answer does not start a session: the page stays public."""
    response = client.get(article.url)
    assert "sessionid" not in response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("action", ["confirm", "unsubscribe"])
def test_confirm_and_unsubscribe_pages_lead_back_to_the_article(client, article, action):
    subscription = services.subscription_request(
        email="a@example.org", kind="thread", thread=thread_for_article(article)
    ).subscription
    token = (
        services.confirm_token(subscription)
        if action == "confirm"
        else services.unsubscribe_token(subscription)
    )
    html = client.post(f"/notifications/{action}/{token}/").content.decode()
    assert f'<a href="{article.url}#comments">Back to “Harbour road closes on Sundays”</a>' in html
    assert "Back to the front page" not in html


def test_a_bad_link_leads_to_the_front_page(client):
    html = client.post("/notifications/confirm/not-a-token/").content.decode()
    assert '<a href="/">Back to the front page</a>' in html
