"""Reference rows for ``throughput.py``: what every signed-in request pays before its content.

The app exactly as served (``create_app()``, the package's settings), plus two routes of this
benchmark's own that do nothing of their own: a signed-in JSON answer (the session cookie or an
API token, the signed-in person's statement, the access check) and a signed-in page with nothing
in it (that, plus the page frame: menu, sign-out form). Measured beside the real pages, they
show in every run how much of a page's budget is left for its content. They live here, not in
the package: no host serves them.
"""

from flask import render_template
from flask_login import current_user

from pmolearn import create_app
from pmolearn.authz import allow

app = create_app()
#: Compiled once, as a template file would be.
EMPTY_PAGE = app.jinja_env.from_string(
    '{% extends "base.html" %}{% block title %}Nothing{% endblock %}'
    "{% block content %}<h1>Nothing</h1>{% endblock %}"
)


@app.get("/_frame/signed-in")
@app.get("/api/_frame/signed-in", endpoint="signed_in_by_token")  # a token is read on /api/ only
@allow()
def signed_in():
    return {"id": current_user.id}


@app.get("/_frame/page")
@allow()
def empty_page():
    return render_template(EMPTY_PAGE)
