"""The inbox, settings (page and API), one-click unsubscribe, the admins' run page, the calendar
feed parsed back with ``icalendar``, and a new feed address that retires the old one."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from pmolearn.extensions import db
from pmolearn.reminders import settings
from pmolearn.reminders.models import NotificationSettings, Reminder
from pmolearn.study.pursuits import start_pursuit


def send(runner, *args):
    result = runner.invoke(args=["reminders", "send", *args])
    assert result.exit_code == 0, result.output
    return result


def test_one_click_unsubscribe_works_without_signing_in_and_for_one_person(
    client, runner, smtp, people, pmp
):
    send(runner)
    message = smtp.to(people["practitioner"].email)[0]
    url = message["List-Unsubscribe"].strip()[1:-1]
    path = url.removeprefix("https://pmolearn.example.org")
    assert client.get(path).status_code == 200  # a page with a button, for the body's link
    assert settings.settings_of([people["practitioner"].id])[people["practitioner"].id].email
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})  # RFC 8058
    assert response.status_code == 204
    assert not settings.settings_of([people["practitioner"].id])[people["practitioner"].id].email
    others = settings.settings_of([p.id for p in people.values()])
    assert [p for p, s in others.items() if not s.email] == [people["practitioner"].id]
    token = path.rsplit("/", 1)[1]
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.post(f"/unsubscribe/{forged}").status_code == 404
    assert client.post("/unsubscribe/" + "x" * 500).status_code == 404


def test_the_inbox_counts_unread_and_marks_them_read(client, runner, smtp, people, pmp, login):
    send(runner)
    practitioner = people["practitioner"]
    login(practitioner)
    home = client.get("/").get_data(as_text=True)
    unread = db.session.scalar(
        select(func.count())
        .select_from(Reminder)
        .filter_by(person_id=practitioner.id, channel="inbox")
    )
    assert unread >= 2 and f"Inbox ({unread})" in home
    page = client.get("/inbox").get_data(as_text=True)
    assert "PMP renewal: the cycle ends in 96 days" in page
    first = db.session.scalar(
        select(Reminder).filter_by(person_id=practitioner.id, channel="inbox", kind="renewal")
    )
    opened = client.post(f"/inbox/{first.id}/read", data={"open": "1"})
    assert opened.status_code == 302 and opened.headers["Location"] == first.link
    assert f"Inbox ({unread - 1})" in client.get("/").get_data(as_text=True)
    client.post("/inbox/read-all")
    assert "Inbox (" not in client.get("/").get_data(as_text=True)
    login(people["pmo"])
    assert client.post(f"/inbox/{first.id}/read").status_code == 404  # not theirs


def test_settings_on_the_page_refuse_bad_lead_times_and_save_good_ones(client, people, login):
    me = people["practitioner"]
    login(me)
    page = client.get("/profile").get_data(as_text=True)
    assert "Reminders" in page and "Calendar feed" in page and "180, 90, 30, 7, 0" in page
    bad = client.post(
        "/me/notifications",
        data={"email": "y", "inbox": "y", "lead_days": "60, soon", "digest": "immediate"},
    )
    assert bad.status_code == 422 and "Nothing was saved" in bad.get_data(as_text=True)
    assert db.session.get(NotificationSettings, me.id) is None
    good = client.post(
        "/me/notifications", data={"inbox": "y", "lead_days": "60; 14, 0", "digest": "weekly"}
    )
    assert good.status_code == 302
    saved = settings.settings_of([me.id])[me.id]
    assert (saved.email, saved.inbox, saved.lead_days, saved.digest) == (
        False,
        True,
        (60, 14, 0),
        "weekly",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "yes"}, "email"),
        ({"lead_days": []}, "lead_days"),
        ({"lead_days": [400]}, "lead_days"),
        ({"lead_days": [-1]}, "lead_days"),
        ({"lead_days": [1.5]}, "lead_days"),
        ({"lead_days": [True]}, "lead_days"),
        ({"lead_days": list(range(9))}, "lead_days"),
        ({"digest": "monthly"}, "digest"),
        ({"sms": True}, "sms"),
    ],
)
def test_the_notifications_api_refuses_bad_settings_and_writes_nothing(
    client, people, bearer, body, field
):
    me = people["practitioner"]
    response = client.patch(
        f"/api/v1/people/{me.id}/notifications", json=body, headers=bearer("practitioner")
    )
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert db.session.get(NotificationSettings, me.id) is None


def test_the_notifications_api_reads_and_changes_within_scope(client, people, bearer):
    me = people["practitioner"]
    url = f"/api/v1/people/{me.id}/notifications"
    assert client.get(url, headers=bearer("practitioner")).get_json() == {
        "email": True,
        "inbox": True,
        "lead_days": [180, 90, 30, 7, 0],
        "digest": "immediate",
    }
    changed = client.patch(url, json={"lead_days": [30, 90, 90]}, headers=bearer("practitioner"))
    assert changed.status_code == 200 and changed.get_json()["lead_days"] == [90, 30]
    assert client.patch(url, json={"email": False}, headers=bearer("admin")).status_code == 200
    assert client.patch(url, json={"email": True}, headers=bearer("pmo")).status_code == 403
    assert client.get(url, headers=bearer("outsider")).status_code == 404


def test_the_reminders_api_lists_what_is_ahead_and_what_was_made(
    client, runner, smtp, people, pmp, bearer
):
    me = people["practitioner"]
    url = f"/api/v1/people/{me.id}/reminders?per_page=500"
    before = client.get(url, headers=bearer("practitioner")).get_json()["items"]
    ahead = [(i["kind"], i["due_on"], i["channel"]) for i in before if not i["made"]]
    assert ("renewal", "2027-01-30", "email") in ahead  # 30 days before 1 March 2027
    assert ("renewal", "2027-03-01", "inbox") in ahead  # the day itself
    send(runner)
    after = client.get(url, headers=bearer("practitioner")).get_json()["items"]
    made = [i for i in after if i["made"]]
    assert {(i["kind"], i["channel"]) for i in made} >= {("renewal", "email"), ("renewal", "inbox")}
    assert all(i["sent_at"] for i in made)
    assert client.get(url, headers=bearer("outsider")).status_code == 404


def test_the_feed_parses_and_holds_the_deadline_the_exam_and_milestones(
    client, people, pmp, bearer
):
    me = people["practitioner"]
    pursuit = start_pursuit(
        me,
        {"certification": "PMP", "target_exam_on": date(2027, 2, 1), "weekly_hours": "6"},
        actor=me,
        today=date(2026, 11, 25),
    )
    db.session.commit()
    calendar_url = client.get("/api/v1/me", headers=bearer("practitioner")).get_json()[
        "calendar_url"
    ]
    path = "/" + calendar_url.split("://", 1)[1].split("/", 1)[1]
    feed = client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    events = {str(e["uid"]): e for e in Calendar.from_ical(feed.data).walk("VEVENT")}
    end = events[f"credential-{pmp.id}-cycle-1-end@pmolearn"]
    assert end.decoded("dtstart") == date(2027, 3, 1)
    assert [a.decoded("trigger").days for a in end.walk("VALARM")] == [-30, -7]
    exam = events[f"pursuit-{pursuit.id}-exam@pmolearn"]
    assert exam.decoded("dtstart") == date(2027, 2, 1) and "PMP exam" in str(exam["summary"])
    weeks = [e for uid, e in events.items() if uid.startswith(f"pursuit-{pursuit.id}-week-")]
    assert weeks and all(
        date(2026, 11, 25) <= w.decoded("dtstart") < date(2027, 2, 1) for w in weeks
    )
    made = client.post("/api/v1/me/calendar-token", headers=bearer("practitioner"))
    assert made.status_code == 201
    assert client.get(path).status_code == 404  # the old address is gone
    fresh = "/" + made.get_json()["calendar_url"].split("://", 1)[1].split("/", 1)[1]
    assert client.get(fresh).status_code == 200


def test_admins_see_the_runs_and_a_warning_when_none_ran(client, runner, smtp, people, login):
    login(people["admin"])
    page = client.get("/admin/reminders").get_data(as_text=True)
    assert "No reminder run in the last two days" in page
    send(runner)
    page = client.get("/admin/reminders").get_data(as_text=True)
    assert "No reminder run in the last two days" not in page and "25 November 2026" in page
    login(people["hr"])
    assert client.get("/admin/reminders").status_code == 403
