"""What every API list shares: its query arguments, its envelope and its paging."""

from __future__ import annotations

from flask import current_app
from marshmallow import RAISE, Schema, fields, validate

from pmolearn.fields import MAX_ID


def Id(**kwargs) -> fields.Integer:  # noqa: N802 - reads like a field class
    """A record id in a JSON body: a strict positive integer that fits a 64-bit column."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def IdArg(**kwargs) -> fields.Integer:  # noqa: N802
    """A record id in a query string (text there, so not strict)."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class QueryArgs(Schema):
    """Query strings, as strict as bodies: a parameter the endpoint does not know, or an empty
    or malformed value (``?from=``), is a 422 naming it, never silently ignored (API.md)."""

    class Meta:
        unknown = RAISE


class PageArgs(QueryArgs):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "rows per page (default 50, at most 500)"},
    )


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """``{"items": [...], "page", "per_page", "total"}`` for one item schema."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True),
        },
        name=name,
    )


def per_page_of(asked: int | None) -> int:
    config = current_app.config
    return min(asked or config["PER_PAGE_DEFAULT"], config["PER_PAGE_MAX"])


def page_of(items: list, page: int, per_page: int | None) -> dict:
    """The list envelope over a short list already in memory (a person's credentials, the
    catalog): the same envelope as a list paged in the database, without a COUNT query."""
    per_page = per_page_of(per_page)
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": len(items),
    }
