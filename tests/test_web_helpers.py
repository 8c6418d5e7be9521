"""The helpers that let lists render fast: the pager's page numbers, a row's link, the options
of a long select. Each must say exactly what the slower way said."""

from __future__ import annotations

import re

import pytest
from flask import url_for

from pmolearn.people.scope import UnitChoice
from pmolearn.templating import breakable_email, page_links, select_options, url_of


@pytest.mark.parametrize(
    ("page", "pages", "expected"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, 4, 5]),
        (1, 200, [1, 2, 3, None, 199, 200]),
        (100, 200, [1, 2, None, 98, 99, 100, 101, 102, None, 199, 200]),
        (200, 200, [1, 2, None, 198, 199, 200]),
        (5, 10, [1, 2, 3, 4, 5, 6, 7, None, 9, 10]),
    ],
)
def test_the_pager_shows_the_ends_and_the_neighbours(page, pages, expected):
    assert page_links(page, pages) == expected


def test_the_pager_is_the_old_rule_on_every_page():
    """The rule the templates had: the first two, the last two, two either side; a gap as
    one ellipsis."""
    for pages in range(1, 40):
        for page in range(1, pages + 1):
            shown = [n for n in range(1, pages + 1)
                     if n <= 2 or n > pages - 2 or abs(n - page) <= 2]  # fmt: skip
            assert [n for n in page_links(page, pages) if n is not None] == shown
            assert page_links(page, pages).count(None) == sum(
                1 for a, b in zip(shown, shown[1:], strict=False) if b - a > 1
            )


def test_a_rows_link_is_what_url_for_builds(app):
    with app.test_request_context("/"):
        for value in (1, 42, 2_147_483_647):
            assert url_of("pdus.activity", "activity_id")(value) == url_for(
                "pdus.activity", activity_id=value
            )
            assert url_of("team.person", "person_id")(value) == url_for(
                "team.person", person_id=value
            )
    with app.test_request_context("/", base_url="http://localhost/pmo"):  # mounted below /pmo
        assert url_of("team.person", "person_id")(7) == url_for("team.person", person_id=7)
        assert url_of("team.person", "person_id")(7) == "/pmo/people/7"


def test_the_options_escape_names_and_mark_the_chosen_one():
    units = (UnitChoice(1, "Root & Co", "/1/"), UnitChoice(2, '<b>"PMO"</b>', "/1/2/"))
    html = str(select_options(units, 2))
    assert html == (
        '<option value="1">Root &amp; Co</option>'
        '<option value="2" selected>— &lt;b&gt;&#34;PMO&#34;&lt;/b&gt;</option>'
    )
    assert str(select_options(units, None)).count("selected") == 0


def test_every_page_names_an_icon_that_is_served(client):
    """Browsers ask every site for an icon: without one named, each first visit logged a 404
    for /favicon.ico."""
    page = client.get("/login").get_data(as_text=True)
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert link, "no icon in the page's head"
    with client.get(link.group(1)) as icon:
        assert icon.status_code == 200
        assert icon.mimetype == "image/svg+xml"
        assert icon.get_data(as_text=True).startswith("<svg")


def test_an_email_may_wrap_after_the_at_sign_and_is_escaped():
    """A narrow column broke "andrea.barnes@d / emo.example.com" mid-word; the break point is a
    <wbr>, which copying leaves out."""
    assert breakable_email("andrea.barnes@demo.example.com") == (
        "andrea.barnes@<wbr>demo.example.com"
    )
    assert breakable_email("<b>x@y.z") == "&lt;b&gt;x@<wbr>y.z"
    assert breakable_email(None) == ""


def _both_kinds(globals_):
    """The same templates under Jinja's own Template and under the app's."""
    from jinja2 import DictLoader, Environment, Template

    from pmolearn.templating import FlatGlobalsTemplate

    sources = {
        "macros.html": "{% macro who() %}{{ greeting }} {{ name }}{{ only_page }}{% endmacro %}",
        "page.html": '{% import "macros.html" as m %}{{ m.who() }}|{{ name }}|{{ greeting }}'
        '{% include "part.html" %}',
        "part.html": "|{{ name }}+{{ extra }}",
    }
    environments = []
    for kind in (Template, FlatGlobalsTemplate):
        env = Environment(loader=DictLoader(sources), autoescape=True)
        env.template_class = kind
        env.globals.update(globals_)
        environments.append(env)
    return environments


def test_the_flat_globals_template_renders_as_jinjas_own_does():
    """Render variables over template globals over the environment's, in imports and includes
    too; the precedence and the values are Jinja's."""
    stock, flat = _both_kinds({"greeting": "hello", "name": "env", "extra": "e"})
    for env in (stock, flat):
        env.get_template("page.html", globals={"name": "template"})
    rendered = [env.get_template("page.html").render(extra="v") for env in (stock, flat)]
    assert rendered[0] == rendered[1] == "hello env|template|hello|template+v"


def test_an_import_gets_the_importers_globals_it_lacks_and_is_otherwise_cached():
    for env in _both_kinds({"greeting": "hi", "name": "env"}):
        page = env.get_template("page.html", globals={"only_page": "!"})
        macros = env.get_template("macros.html")
        context = page.new_context({})
        assert context.globals_keys == set(env.globals) | {"only_page"}
        # The page has a global the macros lack, so the import is a module of its own.
        assert macros._get_default_module(context) is not macros._get_default_module(context)
        assert str(macros._get_default_module(context).who()) == "hi env!"
        plain = env.from_string("{{ 1 }}").new_context({})
        assert macros._get_default_module(plain) is macros._get_default_module(plain)
        assert str(macros._get_default_module(plain).who()) == "hi env"


def test_the_apps_templates_use_the_flat_globals(app):
    from pmolearn.templating import FlatGlobalsTemplate

    template = app.jinja_env.get_template("base.html")
    assert isinstance(template, FlatGlobalsTemplate)
    context = template.new_context({"page": 1})
    assert context.parent == {**app.jinja_env.globals, "page": 1}
    assert context.globals_keys == set(app.jinja_env.globals)
