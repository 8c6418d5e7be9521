"""Sign in, sign out, and the profile page with personal API tokens."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from pmolearn.accounts import passwords, services
from pmolearn.accounts.forms import (
    ChangePasswordForm,
    ConfirmForm,
    ForgotForm,
    LoginForm,
    NewPasswordForm,
    TokenForm,
)
from pmolearn.authz import allow, public
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db, get_remote_address, limiter
from pmolearn.mail import MailError
from pmolearn.people.models import Person
from pmolearn.people.roles import AccessRole
from pmolearn.web import Sections, form_status, save

bp = Blueprint("accounts", __name__)

#: ``(person) -> Section | None``: what features above accounts add to the profile page
#: (reminders: notification settings and the calendar feed).
PROFILE_SECTIONS = Sections()


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _login_account_key() -> str:
    """One account from one address: guessing someone's password from here is capped, and
    whoever guesses cannot lock the real person out from where they sign in."""
    email = services.normalise_email(request.form.get("email", ""))[:254]
    return f"login-account:{email}|{get_remote_address()}"


def _failed_login(_response) -> bool:
    return bool(g.get("login_failed"))


def _safe_next(target: str | None) -> str:
    """Only same-site paths, so the sign-in page cannot be used as an open redirect."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_address_limit, methods=["POST"], deduct_when=_failed_login)
@limiter.limit(
    _login_limit, methods=["POST"], key_func=_login_account_key, deduct_when=_failed_login
)
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        person = services.authenticate(form.email.data, form.password.data)
        if person is not None:
            login_user(person)
            flash(f"Welcome, {person.name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
        form.password.errors.append("That email and password do not match an active account.")
    if request.method == "POST":
        g.login_failed = True
    return render_template("accounts/login.html", form=form), 200


@bp.route("/logout", methods=["POST"])
@allow()
def logout():
    if ConfirmForm().validate_on_submit():
        current_user.end_sessions()  # a cookie copied before now signs nobody in
        db.session.commit()
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("accounts.login"))


def _profile_page(token_form=None, password_form=None, new_token=None, status=200):
    return render_template(
        "accounts/profile.html",
        form=token_form or TokenForm(formdata=None),
        password_form=password_form or ChangePasswordForm(formdata=None),
        new_token=new_token,
        tokens=services.person_tokens(current_user),
        confirm=ConfirmForm(),
        sections=PROFILE_SECTIONS(current_user),
    ), status


@bp.route("/profile", methods=["GET", "POST"])
@allow()
def profile():
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            _token, new_token = services.create_token(current_user, form.name.data)
        except ValidationFailed as error:
            form.name.errors.extend(error.fields.get("name", []))
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
    return _profile_page(token_form=form, new_token=new_token)


@bp.route("/profile/password", methods=["POST"])
@allow()
@limiter.limit(_login_limit)
def change_password():
    """Change one's password; the other sessions end, this one carries on."""
    form = ChangePasswordForm()
    if form.validate_on_submit() and save(
        form,
        lambda: passwords.change_password(
            current_user, form.current.data, form.password.data, form.confirm.data
        ),
    ):
        login_user(current_user._get_current_object())  # this session, under the new version
        flash("Your password is changed; your other sessions are signed out.", "success")
        return redirect(url_for("accounts.profile"))
    return _profile_page(password_form=form, status=form_status(form))


# --- passwords by email ------------------------------------------------------------------


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


def _reset_email_key() -> str:
    return "reset-account:" + services.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@limiter.limit(_reset_limit, methods=["POST"], key_func=_reset_email_key)
@public
def forgot_password():
    form = ForgotForm()
    if form.validate_on_submit():
        passwords.request_reset(form.email.data)
        return render_template("accounts/forgot.html", form=form, sent=True)
    return render_template("accounts/forgot.html", form=form, sent=False), form_status(form)


def _set_password_page(token: str, purpose: str):
    link = passwords.link_of(token, purpose)
    if link is None:
        return render_template("accounts/link_void.html", purpose=purpose), 404
    form = NewPasswordForm()
    person = link.person
    if form.validate_on_submit() and save(
        form, lambda: passwords.set_password(person, form.password.data, form.confirm.data)
    ):
        if current_user.is_authenticated:
            logout_user()
        flash("Your password is saved: sign in with it.", "success")
        return redirect(url_for("accounts.login"))
    page = render_template("accounts/set_password.html", form=form, person=person, purpose=purpose)
    return page, form_status(form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@public
def reset_password(token: str):
    return _set_password_page(token, "reset")


@bp.route("/welcome/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@public
def welcome(token: str):
    return _set_password_page(token, "invite")


@bp.route("/admin/people/<int:person_id>/invite", methods=["POST"])
@allow(AccessRole.ADMIN)
def invite(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    if ConfirmForm().validate_on_submit():
        flash(*invitation_outcome(person))
    return redirect(url_for("team.person", person_id=person.id))


def invitation_outcome(person: Person) -> tuple[str, str] | None:
    """Send an invitation and say how it went, in words for a flash message (nothing for a
    person added as inactive: they cannot sign in)."""
    if not person.active:
        return None
    try:
        passwords.invite(person)
    except MailError as error:
        current_app.logger.warning("Invitation to %s not sent: %s", person.email, error)
        return (f"{person.name} was saved, but the invitation email could not be sent "
                "(the mail server did not take it): send it again later.", "warning")  # fmt: skip
    return f"An invitation to choose a password was sent to {person.email}.", "info"


@bp.route("/profile/tokens/<int:token_id>/revoke", methods=["POST"])
@allow()
def revoke_token(token_id: int):
    if not ConfirmForm().validate_on_submit():
        abort(400)
    token = services.revoke_token(current_user, token_id)
    if token is None:
        abort(404)
    db.session.commit()
    flash(f"Token “{token.name}” is revoked; programs using it are now refused.", "info")
    return redirect(url_for("accounts.profile"))
