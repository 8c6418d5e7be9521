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

from pmolearn.accounts import services
from pmolearn.accounts.forms import ConfirmForm, LoginForm, TokenForm
from pmolearn.authz import allow, public
from pmolearn.errors import ValidationFailed
from pmolearn.extensions import db, limiter
from pmolearn.web import Sections

bp = Blueprint("accounts", __name__)

#: ``(person) -> Section | None``: what features above accounts add to the profile page
#: (reminders: notification settings and the calendar feed).
PROFILE_SECTIONS = Sections()


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_email_key() -> str:
    return "login-account:" + services.normalise_email(request.form.get("email", ""))


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
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_failed_login)
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_email_key, deduct_when=_failed_login)
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
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("accounts.login"))


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
    return render_template(
        "accounts/profile.html",
        form=form,
        new_token=new_token,
        tokens=services.person_tokens(current_user),
        confirm=ConfirmForm(),
        sections=PROFILE_SECTIONS(current_user),
    )


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
