"""What templates call: the filters and globals they are given, and the helpers that build the
busiest markup in Python (a form field, the options of a long select, a pager's page numbers, a
row's link), each because its Jinja form cost a measurable part of a page."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, current_app, g, has_request_context, request, session, url_for
from flask_wtf.csrf import generate_csrf
from jinja2 import Template
from jinja2.runtime import Context, new_context
from jinja2.utils import internalcode
from markupsafe import Markup, escape

from pmolearn import authz, text


def register_template_helpers(app: Flask) -> None:
    """Formatting filters (from ``text``) and the access predicates templates may ask."""
    app.jinja_env.template_class = FlatGlobalsTemplate
    app.add_template_filter(text.day, "date")
    app.add_template_filter(text.month, "month")
    app.add_template_filter(text.amount, "num")
    app.add_template_filter(text.pdus, "pdus")
    app.add_template_filter(text.file_size, "file_size")
    app.add_template_filter(text.moment, "moment")
    app.add_template_filter(breakable_email)
    app.add_template_global(text.plural)
    app.add_template_global(page_links)
    app.add_template_global(select_options)
    app.add_template_global(field_html)
    app.add_template_global(url_of)
    app.add_template_global(frame_assets)
    app.add_template_global(authz.can_manage_people)
    app.add_template_global(authz.can_view_team)
    app.add_template_global(authz.can_change_records_of)
    app.add_template_global(authz.ACCESS_ROLE_LABELS, "ACCESS_ROLE_LABELS")
    # In place of Flask-WTF's, registered before as a global and by a context processor.
    app.add_template_global(csrf_token)
    app.context_processor(lambda: {"csrf_token": csrf_token})
    app.extensions["pmolearn.signed_csrf_tokens"] = OrderedDict()


class FlatGlobalsTemplate(Template):
    """Jinja's template, reading its globals as one plain dict where Jinja reads them through
    the ``ChainMap`` (template globals over the environment's) a key at a time.

    With the app's 36 globals that cost about 27 µs for every context (each render, include
    and imported module) and 50 µs for every ``{% import %}``, which asks which globals the
    importing template has that the imported one lacks: about 0.15 ms of a dashboard, 4 % of it.
    The answers are the same: the same keys and values, merged in the same order. (Upstream:
    pallets/jinja pull request 2185, open as of December 2026.) It overrides two of Jinja's
    internals, so pyproject.toml holds Jinja below 3.2, and the tests render against Jinja's
    own ``Template`` to catch a change in them.
    """

    def new_context(self, vars=None, shared=False, locals=None) -> Context:  # noqa: A002
        flat = {}
        for layer in reversed(getattr(self.globals, "maps", [self.globals])):
            flat.update(layer)
        return new_context(self.environment, self.name, self.blocks, vars, shared, flat, locals)

    @internalcode
    def _get_default_module(self, ctx: Context | None = None):
        """As Jinja's: a module of its own when the importing context has globals this template
        lacks, else the cached one; the difference taken as one set operation."""
        if self.environment.is_async:
            raise RuntimeError("Module is not available in async mode.")
        if ctx is not None:
            keys = ctx.globals_keys.difference(self.globals)
            if keys:
                return self.make_module({key: ctx.parent[key] for key in keys})
        if self._module is None:
            self._module = self.make_module()
        return self._module


#: How long a signed form token is handed out again to the same session, and how many are kept.
CSRF_REUSE_SECONDS = 60
CSRF_REUSE_KEPT = 10_000
_CSRF_KEPT_LOCK = threading.Lock()


def csrf_reuse_seconds(config) -> float:
    """How long a signed token is handed out again: a minute, or a sixtieth of a shorter
    ``WTF_CSRF_TIME_LIMIT`` (so no page gets a token about to expire; ``config.check_settings``
    has made sure it is a positive number, or None: no limit)."""
    limit = config.get("WTF_CSRF_TIME_LIMIT")
    return CSRF_REUSE_SECONDS if limit is None else min(CSRF_REUSE_SECONDS, limit / 60)


def csrf_token() -> str:
    """Flask-WTF's form token, its signed form handed out again to the same session for up to a
    minute instead of signed anew on every page (70 µs against 11: every signed-in page carries
    one, in the sign-out form).

    The signed token is what Flask-WTF would make (the session's secret token, signed with the
    time); a page within the minute gets one up to a minute old, so the token's hour of
    validity (``WTF_CSRF_TIME_LIMIT``) runs from up to a minute earlier (from a sixtieth of a
    shorter limit). A form the view built already signed this request's token; that one is used.
    """
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field in g:
        return g.get(field)
    secret = session.get(field)
    kept = current_app.extensions["pmolearn.signed_csrf_tokens"]
    now = time.monotonic()
    # A token signed with a key since replaced is not handed out again.
    key = current_app.config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
    if (
        isinstance(secret, str)
        and (hit := kept.get(secret))
        and now - hit[0] < csrf_reuse_seconds(current_app.config)
        and hit[2] == key
    ):
        setattr(g, field, hit[1])
        return hit[1]
    signed = generate_csrf()
    with _CSRF_KEPT_LOCK:  # a threaded server (``make run``) may sign for two pages at once
        kept[session[field]] = (now, signed, key)
        kept.move_to_end(session[field])
        while len(kept) > CSRF_REUSE_KEPT:
            kept.popitem(last=False)
    return signed


def breakable_email(address: str | None) -> Markup:
    """An email address that a narrow column wraps after its "@", not mid-word
    ("andrea.barnes@d / emo.example.com"): escaped, with a ``<wbr>`` there, which copying the
    address leaves out. (Breaks at the dots too made three lines of most.)"""
    return escape(address or "").replace("@", Markup("@<wbr>"), 1)


def frame_assets() -> dict[str, Markup]:
    """The stylesheet, icon and script tags every page carries (Bootstrap's, served locally, and
    the app's own), written once per app and prefix: bootstrap-flask builds them again on every
    page."""
    cache = current_app.extensions.setdefault("pmolearn_frame_assets", {})
    key = request.script_root
    if key not in cache:
        bootstrap = current_app.extensions["bootstrap"]
        app_css = url_for("static", filename="css/app.css")
        icon = url_for("static", filename="favicon.svg")
        cache[key] = {
            "css": bootstrap.load_css()
            + Markup('\n  <link rel="stylesheet" href="{}">').format(app_css)
            + Markup('\n  <link rel="icon" href="{}" type="image/svg+xml">').format(icon),
            "js": bootstrap.load_js(),
        }
    return cache[key]


def field_html(field) -> Markup:
    """One form field in Bootstrap 5's markup, as bootstrap-flask's ``render_field`` writes it
    in its basic layout: the label, the control (``is-invalid`` when it has errors), then its
    errors or its help. Built here because that macro, run for every field of every form, cost
    more than the rest of a page with a small form (0.1 ms a field)."""
    kind = field.type
    if kind in ("CSRFTokenField", "HiddenField"):
        return field()
    kwargs = {"required": True} if field.flags.required else {}
    extra = (
        f" {field.render_kw['class']}" if field.render_kw and field.render_kw.get("class") else ""
    )
    invalid = " is-invalid" if field.errors else ""
    group = current_app.config.get("BOOTSTRAP_FORM_GROUP_CLASSES", "mb-3")
    if kind == "SubmitField":
        style = current_app.config.get("BOOTSTRAP_BTN_STYLE", "primary")
        size = current_app.config.get("BOOTSTRAP_BTN_SIZE", "md")
        return field(class_=f"btn btn-{style} btn-{size}{extra}", **kwargs)
    parts: list[str] = []
    if getattr(field.widget, "input_type", None) == "checkbox":
        parts += [f'<div class="{group} form-check">',
                  field(class_=f"form-check-input{invalid}{extra}", **kwargs),
                  field.label(class_="form-check-label", for_=field.id)]  # fmt: skip
    elif kind == "RadioField":
        parts += [f'<div class="{group} ">', field.label(class_="form-label")]
        for item in field:
            parts += ['<div class="form-check">', item(class_="form-check-input"),
                      item.label(class_="form-check-label", for_=item.id), "</div>"]  # fmt: skip
    else:
        required = " required" if field.flags.required else ""
        control = (
            "form-range"
            if kind in ("DecimalRangeField", "IntegerRangeField")
            else "form-select"
            if kind == "SelectField"
            else "form-control"
        )
        parts += [f'<div class="{group}{required}">', field.label(class_="form-label"),
                  field(class_=f"{control}{invalid}{extra}", **kwargs)]  # fmt: skip
    if field.errors:
        parts += [Markup('<div class="invalid-feedback d-block">{}</div>').format(error)
                  for error in field.errors]  # fmt: skip
    elif field.description:
        parts.append(f'<small class="form-text text-body-secondary">{field.description}</small>')
    parts.append("</div>")
    return Markup("".join(str(part) for part in parts))  # noqa: S704 - widgets escape


def page_links(page: int, pages: int) -> list[int | None]:
    """The page numbers a pager shows, None for a gap: the first two, the last two and two
    either side of ``page``. A handful whatever the number of pages (HR's directory has 200,
    and a loop over all of them cost a millisecond a page)."""
    shown = sorted(
        {n for n in (1, 2, pages - 1, pages, *range(page - 2, page + 3)) if 1 <= n <= pages}
    )
    links: list[int | None] = []
    for n in shown:
        if links and n - links[-1] > 1:
            links.append(None)
        links.append(n)
    return links


def select_options(items, selected=None) -> Markup:
    """The ``<option>`` elements of a long select, ``selected`` marked. Each item has an
    ``id``, a ``label`` and its unselected ``option`` (kept on the item when the item is kept):
    a Jinja loop over HR's 367 org units cost about a millisecond a page."""
    chosen = Markup('<option value="{}" selected>{}</option>')
    parts = [chosen.format(i.id, i.label) if i.id == selected else i.option for i in items]
    return Markup("".join(parts))  # noqa: S704 - every part is Markup, escaped when made


_SENTINEL = 2_147_483_646


def url_of(endpoint: str, arg: str) -> Callable[[int], str]:
    """``url_of("pdus.activity", "activity_id")(7)`` is ``url_for("pdus.activity",
    activity_id=7)``, for the rows of a list: the route is built once per app and prefix
    and each row only fills in its id (``url_for`` cost 5 us a row, a quarter of a row's
    rendering)."""
    built = current_app.extensions.setdefault("pmolearn_url_of", {})
    key = (endpoint, arg, request.script_root if has_request_context() else "")
    if key not in built:
        prefix, _, suffix = url_for(endpoint, **{arg: _SENTINEL}).partition(str(_SENTINEL))
        built[key] = lambda value: f"{prefix}{int(value)}{suffix}"
    return built[key]
