"""In Chromium, with a real SMTP server: an admin adds a person, who follows the invitation to
choose a password and signs in; a practitioner resets a forgotten password from the email; sets
their reminder preferences (a wrong input first); and unsubscribes with the email's link."""

from __future__ import annotations

import re

import pytest

from pmolearn import clock
from pmolearn.extensions import db
from pmolearn.reminders import services, settings
from tests.browser.conftest import axe_findings, screenshot
from tests.conftest import PASSWORD
from tests.mailserver import text_of

pytestmark = pytest.mark.browser
NEW_PASSWORD = "correct battery staple horse"


def link_in(message, live_server) -> str:
    url = re.search(r"https://pmolearn\.example\.org(/\S+)", text_of(message)).group(1)
    return live_server + url


def sign_in(page, live_server, email, password=PASSWORD):
    page.goto(live_server + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_an_invitation_leads_to_a_first_sign_in(smtp, people, live_server, page, axe_source):
    sign_in(page, live_server, people["admin"].email)
    page.get_by_role("link", name="Admin", exact=True).click()
    page.get_by_role("link", name="Add person").click()
    page.fill("input[name=email]", "nia.starter@example.org")
    page.fill("input[name=name]", "Nia Starter")
    page.get_by_role("button", name=re.compile("Save|Add")).click()
    page.wait_for_selector("text=An invitation to choose a password was sent")
    page.get_by_role("button", name="Sign out").click()
    [message] = smtp.to("nia.starter@example.org")
    page.goto(link_in(message, live_server))
    assert "Welcome, Nia" in page.content()
    assert axe_findings(page, axe_source) == []
    page.fill("input[name=password]", "short")
    page.fill("input[name=confirm]", "short")
    page.get_by_role("button", name="Save the password").click()
    assert "at least 10 characters" in page.content()
    page.fill("input[name=password]", NEW_PASSWORD)
    page.fill("input[name=confirm]", NEW_PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    page.wait_for_selector("text=Your password is saved")
    sign_in(page, live_server, "nia.starter@example.org", NEW_PASSWORD)
    page.wait_for_selector("text=Hello, Nia")


def test_a_forgotten_password_is_reset_from_the_email(smtp, people, live_server, page, axe_source):
    me = people["practitioner"]
    page.goto(live_server + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    assert axe_findings(page, axe_source) == []
    page.fill("input[name=email]", me.email)
    page.get_by_role("button", name="Send me a reset link").click()
    page.wait_for_selector("text=If an account has that address")
    page.goto(link_in(smtp.to(me.email)[-1], live_server))
    page.fill("input[name=password]", NEW_PASSWORD)
    page.fill("input[name=confirm]", NEW_PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    sign_in(page, live_server, me.email, PASSWORD)
    assert "do not match" in page.content()
    sign_in(page, live_server, me.email, NEW_PASSWORD)
    page.wait_for_url(live_server + "/")


def test_preferences_then_one_click_unsubscribe_from_the_email(
    smtp, people, pmp, live_server, page, app, axe_source
):
    me = people["practitioner"]
    sign_in(page, live_server, me.email)
    page.goto(live_server + "/profile")
    page.fill("input[name=lead_days]", "sixty")
    page.get_by_role("button", name="Save reminder settings").click()
    assert "Nothing was saved" in page.content()
    assert axe_findings(page, axe_source) == []
    page.fill("input[name=lead_days]", "60, 7")
    page.get_by_role("button", name="Save reminder settings").click()
    page.wait_for_selector("text=Your reminder settings are saved")
    db.session.expire_all()
    assert settings.settings_of([me.id])[me.id].lead_days == (60, 7)
    with app.test_request_context("/", base_url="https://pmolearn.example.org"):
        services.run(clock.today())
    message = smtp.to(me.email)[0]
    body_link = re.search(r"Unsubscribe from these emails: (\S+)", text_of(message)).group(1)
    page.goto(live_server + body_link.removeprefix("https://pmolearn.example.org"))
    page.get_by_role("button", name="Unsubscribe from reminder emails").click()
    page.wait_for_selector("text=You are unsubscribed")
    screenshot(page, "unsubscribed")
    db.session.expire_all()
    assert settings.settings_of([me.id])[me.id].email is False
    page.goto(live_server + "/inbox")
    assert message["Subject"] in page.content()  # the inbox keeps what the email said
    assert axe_findings(page, axe_source) == []
