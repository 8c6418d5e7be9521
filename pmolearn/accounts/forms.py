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
