"""The only module that talks SMTP: a message in text and HTML, sent over one connection per
run with the settings PMOLEARN_MAIL_SERVER, _PORT, _USE_TLS, _USE_SSL, _USERNAME, _PASSWORD and
_DEFAULT_SENDER. The standard library's ``smtplib`` and ``email`` do the work."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str
    #: Extra headers (List-Unsubscribe, List-Unsubscribe-Post).
    headers: Mapping[str, str] = field(default_factory=dict)


class MailError(Exception):
    """The mail server could not be reached, or refused a message."""


def build(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "pmolearn")
    message["Auto-Submitted"] = "auto-generated"
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


class Mailer:
    """``with Mailer(config) as mailer: mailer.send(mail)``: one connection for many mails."""

    def __init__(self, config: Mapping) -> None:
        self.server = config.get("MAIL_SERVER") or "localhost"
        self.port = int(config.get("MAIL_PORT") or 25)
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.use_ssl = bool(config.get("MAIL_USE_SSL"))
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.sender = config.get("MAIL_DEFAULT_SENDER") or "pmolearn@localhost"
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        try:
            if self.use_ssl:
                context = ssl.create_default_context()
                self._smtp = smtplib.SMTP_SSL(
                    self.server, self.port, timeout=TIMEOUT_SECONDS, context=context
                )
            else:
                self._smtp = smtplib.SMTP(self.server, self.port, timeout=TIMEOUT_SECONDS)
                if self.use_tls:
                    self._smtp.starttls(context=ssl.create_default_context())
            if self.username:
                self._smtp.login(self.username, self.password or "")
        except (OSError, smtplib.SMTPException) as error:
            self._smtp = None
            raise MailError(
                f"Cannot reach the mail server {self.server}:{self.port}: {error}"
            ) from error
        return self

    def __exit__(self, *exc) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def send(self, mail: Mail) -> None:
        """Returns when the server accepted the message; raises ``MailError`` otherwise."""
        if self._smtp is None:
            raise MailError("Not connected to the mail server.")
        try:
            refused = self._smtp.send_message(build(mail, self.sender))
        except (OSError, smtplib.SMTPException) as error:
            raise MailError(f"The mail server refused the message to {mail.to}: {error}") from error
        if refused:
            raise MailError(f"The mail server refused {', '.join(refused)}.")
