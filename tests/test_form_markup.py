"""``templating.field_html`` writes every form field as bootstrap-flask's ``render_field`` macro
did (it replaced the macro for speed). Each field of every form of the app, fresh and with
errors, is rendered both ways and compared, so an upgrade of either side that changes the
markup fails here rather than on a page."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm

import pmolearn
from pmolearn.templating import field_html

BOOTSTRAP = "{% from 'bootstrap5/form.html' import render_field %}{{ render_field(field) }}"


def _forms() -> list[type[FlaskForm]]:
    found = []
    for module in pkgutil.walk_packages(pmolearn.__path__, "pmolearn."):
        if module.name.endswith(".forms"):
            loaded = importlib.import_module(module.name)
            found += [
                cls
                for _, cls in inspect.getmembers(loaded, inspect.isclass)
                if issubclass(cls, FlaskForm) and cls.__module__ == module.name
            ]
    return found


def _normal(html: str) -> str:
    html = re.sub(r"\s+", " ", str(html)).replace("> <", "><").replace(" >", ">")
    return html.strip()


@pytest.mark.parametrize("form_class", _forms(), ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_field_renders_as_bootstrap_flask_renders_it(app, form_class):
    with app.test_request_context("/"):
        form = form_class()
        fields = [f for f in form if f.type != "CSRFTokenField"]

        for with_errors in (False, True):
            for field in fields:
                if getattr(field, "choices", ()) is None:
                    field.choices = [("1", "A"), ("2", "B <&>")]
                field.errors = ["Wrong <b>here</b> & there"] if with_errors else []
                if field.type == "MultiCheckboxField":
                    continue  # rendered by the app's own macro, not bootstrap's
                ours = _normal(field_html(field))
                theirs = _normal(render_template_string(BOOTSTRAP, field=field))
                assert ours == theirs, (form_class.__name__, field.name, with_errors)
