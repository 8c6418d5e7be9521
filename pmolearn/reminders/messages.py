"""What a reminder says: its title names the certification and the date, its body says what to
do next; and the email that carries one reminder (or a week of them) in text and HTML, with
RFC 8058 one-click unsubscribe. Every link starts with PMOLEARN_BASE_URL."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import url_for
from markupsafe import escape

from pmolearn import text
from pmolearn.mail import Mail
from pmolearn.reminders import schedule
from pmolearn.reminders.settings import unsubscribe_token
from pmolearn.web import public_url

if TYPE_CHECKING:
    from pmolearn.reminders.services import Recipient, World

# --- the words --------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str


def _days(n: int) -> str:
    return {0: "today", 1: "tomorrow"}.get(n, f"in {n} days")


def compose(due: schedule.Due, world: World, recipient_id: int) -> Message:
    """The words of a reminder: the subject names the certification and the date; the body says
    what to do next."""
    on = world.as_of
    if due.subject_type == "credential":
        facts = next(c for c in world.credentials if c.credential_id == due.subject_id)
        code, step = facts.certification, world.next_steps.get(due.subject_id, "")
        link = url_for("credentials.show", credential_id=due.subject_id)
        end = text.day(facts.cycle_end) if facts.cycle_end else ""
        if due.kind == "renewal":
            left = (facts.cycle_end - on).days
            title = f"{code} renewal: the cycle ends {_days(left)}, {end}"
            body = step or "Renew it with the issuer before the cycle ends."
            if facts.compliance == "complete":
                body = "Every PDU is in: submit the renewal and pay the fee before " + end + "."
        elif due.kind == "escalation":
            whose = world.people[due.person_id].name
            remaining = text.pdus(facts.remaining or 0)
            title = f"{whose}'s {code} ends {end} with {remaining} still missing"
            body = (
                f"You receive this as {whose}'s manager or PMO head. {whose} still needs "
                f"{remaining} before {end}; the next step is theirs: {step}"
            )
            link = url_for("team.person", person_id=due.person_id)
        elif due.kind == "pace":
            title = f"{code}: your PDU pace has fallen behind (cycle ends {end})"
            body = step
        elif due.kind == "suspended":
            grace = text.day(facts.grace_end) if facts.grace_end else "the end of the grace period"
            title = f"{code} is suspended: renew by {grace}"
            body = (
                f"The cycle ended on {end} without a renewal. PDUs still count until {grace}; "
                f"renew by then or the credential expires. {step}"
            ).strip()
        else:  # expired
            grace = text.day(facts.grace_end) if facts.grace_end else ""
            title = f"{code} has expired ({grace})"
            body = "The grace period ended without a renewal: the exam must be passed again."
        return Message(title, body, link)
    facts = next(p for p in world.pursuits if p.pursuit_id == due.subject_id)
    code, link = facts.certification, url_for("study.show", pursuit_id=due.subject_id)
    if due.kind == "exam":
        left = (facts.exam_on - on).days
        title = f"{code} exam {_days(left)}: {text.day(facts.exam_on)}"
        body = "Check the test centre or online-proctoring instructions, and rest the day before."
    elif due.kind == "study":
        title = f"{code} study plan: {text.amount(facts.behind_hours)} hours behind"
        body = (
            f"That is more than a week of your plan ({text.amount(facts.weekly_hours)} hours); "
            f"log what you studied, or move the exam date ({text.day(facts.exam_on)})."
        )
    else:  # window
        closes = text.day(facts.window_ends_on)
        title = f"{code}: your eligibility window closes on {closes}"
        body = "Schedule the exam before then, or the application must be made again."
    return Message(title, body, link)


# --- the email ---


def email_for(to: Recipient, reminders: Sequence) -> Mail:
    """One email: a single reminder, or a weekly digest of several (each with a ``title``,
    ``body`` and ``link``)."""
    base = public_url("home.index").rstrip("/")
    unsubscribe = public_url("reminders.unsubscribe", token=unsubscribe_token(to.id))
    settings_link = public_url("reminders.settings_page")
    if len(reminders) == 1:
        subject = reminders[0].title
    else:
        subject = f"pmolearn: {text.plural(len(reminders), 'reminder')} this week"
    parts_text, parts_html = [], []
    for r in reminders:
        link = base + r.link
        parts_text.append(f"{r.title}\n\n{r.body}\n\nOpen it: {link}")
        parts_html.append(
            f'<h2 style="font-size:1.1em">{escape(r.title)}</h2><p>{escape(r.body)}</p>'
            f'<p><a href="{escape(link)}">Open it in pmolearn</a></p>'
        )
    footer = (
        "You receive this because reminders are on for your pmolearn account.\n"
        f"Change them: {settings_link}\nUnsubscribe from these emails: {unsubscribe}"
    )
    html_footer = (
        '<p style="color:#545b62;font-size:.9em">You receive this because reminders are on '
        f'for your pmolearn account. <a href="{escape(settings_link)}">Change them</a> or '
        f'<a href="{escape(unsubscribe)}">unsubscribe from these emails</a>.</p>'
    )
    greeting = f"Hello {to.name.split(' ')[0]},"
    return Mail(
        to=to.email,
        subject=subject,
        text=greeting + "\n\n" + "\n\n---\n\n".join(parts_text) + "\n\n-- \n" + footer,
        html=(f"<p>{escape(greeting)}</p>" + "<hr>".join(parts_html) + html_footer),
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
