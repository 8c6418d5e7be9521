"""Every Flask extension, created unbound; the factory binds them."""

from flask import request
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from pmolearn.database import Base, Session


class BearerFirstLoginManager(LoginManager):
    """An API call that carries ``Authorization`` is judged by that token alone.

    Otherwise a revoked or wrong token would silently fall back to a browser session cookie.
    """

    def _load_user(self):
        if request.path.startswith("/api/") and "Authorization" in request.headers:
            return self._update_request_context_with_user(self._request_callback(request))
        return super()._load_user()


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})
migrate = Migrate()
login_manager = BearerFirstLoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message_category = "warning"
login_manager.session_protection = "strong"
csrf = CSRFProtect()
bootstrap = Bootstrap5()


def read(statement, params=None):
    """Rows of a statement of columns (no ORM entities), on the session's connection and in
    its transaction, but without the ORM's execution path: about 0.1 ms a statement, as much
    as SQLite takes to run a small one. Pending changes are flushed first, as the session
    would."""
    session = db.session
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection().execute(statement, params)


#: Keyed on the client's address: the real one behind PMOLEARN_TRUSTED_PROXIES (ProxyFix).
limiter = Limiter(key_func=get_remote_address, default_limits=[])

__all__ = ["get_remote_address"]
