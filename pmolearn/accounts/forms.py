"""Sign-in and token forms: shape only; who may sign in is decided by the service."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    submit = SubmitField("Sign in")


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[DataRequired(), Length(max=80)],
        description="What the token is for, e.g. 'HR sync' or 'my laptop script'.",
    )
    submit = SubmitField("Create token")


class ConfirmForm(FlaskForm):
    """An empty form: a button that carries the CSRF token (sign out, revoke)."""

    submit = SubmitField("Confirm")
