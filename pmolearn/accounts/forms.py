"""Sign-in and token forms: shape only; who may sign in is decided by the service."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from pmolearn.accounts.services import TOKEN_NAME
from pmolearn.people.fields import EMAIL, PASSWORD_MAX


class LoginForm(FlaskForm):
    email = EmailField(EMAIL.label, validators=[DataRequired(), Length(max=EMAIL.limit)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    submit = SubmitField("Sign in")


class TokenForm(FlaskForm):
    name = StringField(
        TOKEN_NAME.label,
        validators=[DataRequired(), Length(max=TOKEN_NAME.limit)],
        description=TOKEN_NAME.help,
    )
    submit = SubmitField("Create token")


class ConfirmForm(FlaskForm):
    """An empty form: a button that carries the CSRF token (sign out, revoke)."""

    submit = SubmitField("Confirm")


class ForgotForm(FlaskForm):
    email = EmailField(EMAIL.label, validators=[DataRequired(), Length(max=EMAIL.limit)])
    submit = SubmitField("Send me a reset link")


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(max=PASSWORD_MAX)],
        description="At least 10 characters; a phrase of a few words is easy to remember.",
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "The new password again",
        validators=[DataRequired(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField("Save the password")


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField(
        "Current password",
        validators=[DataRequired(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField("Change the password")
