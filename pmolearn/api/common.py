"""Shared API pieces: the list envelope and its query arguments."""

from __future__ import annotations

from flask import current_app
from marshmallow import Schema, fields, pre_load, validate
from sqlalchemy import Select, func, select

from pmolearn.extensions import db
from pmolearn.validation import MAX_ID


def Id(**kwargs) -> fields.Integer:  # noqa: N802 - reads like a field class
    """A record id: a strict positive integer that fits the database's 64-bit column."""
    return fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class QueryArgs(Schema):
    """Query strings: an empty parameter (``?from=``) means "not given", as HTML forms send."""

    @pre_load
    def drop_empty(self, data, **_kwargs):
        return {k: v for k, v in data.items() if v != ""}


class PageArgs(QueryArgs):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1_000_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_ID))


def page_schema(item_schema: type[Schema], name: str) -> type[Schema]:
    """``{"items": [...], "page", "per_page", "total"}`` for one item schema."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "total": fields.Integer(),
        },
        name=name,
    )


def paginate(stmt: Select, page: int, per_page: int) -> dict:
    """One COUNT and one page query, whatever the size of the list."""
    per_page = min(per_page, current_app.config["PER_PAGE_MAX"])
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def page_of(items: list, page: int, per_page: int) -> dict:
    """The list envelope over a short list already in memory (a person's credentials, the
    catalog): the same paging as :func:`paginate` without a COUNT query."""
    per_page = min(per_page, current_app.config["PER_PAGE_MAX"])
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": len(items),
    }
