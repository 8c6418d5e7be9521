"""A real SMTP server on loopback (aiosmtpd) that keeps what it received, parsed; the ``smtp``
fixture (registered in conftest.py) points the app at it."""

from __future__ import annotations

import email
import socket
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What the SMTP server accepted: ``messages`` parsed with the standard library."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(app, app_config):
    """Start the server and point the app's mail settings at it (and those of a live server
    started after this fixture)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_DEFAULT_SENDER": "pmolearn@example.org",
        "BASE_URL": "https://pmolearn.example.org",
    }
    app.config.update(settings)
    app_config.update(settings)
    inbox.port = port
    yield inbox
    controller.stop()


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message: EmailMessage) -> str:
    return message.get_body(("html",)).get_content()
