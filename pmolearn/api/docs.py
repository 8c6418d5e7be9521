"""The API reference as a page: rendered on the server from the app's own OpenAPI document
(no JavaScript, no CDN), so it always shows what the schemas validate."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup, escape

from pmolearn.api.openapi import api

METHODS = ("get", "post", "put", "patch", "delete")


def describe(schema: dict | None) -> Markup:
    """A schema in a few words: its type, format, enum, bounds, or a link to a named schema."""
    if not schema:
        return Markup("")
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return Markup('<a href="#schema-{0}"><code>{0}</code></a>').format(name)
    kind = schema.get("type", "object" if "properties" in schema else "")
    if kind == "array":
        return Markup("array of ") + describe(schema.get("items"))
    parts = [escape(kind)] if kind else []
    if schema.get("format"):
        parts.append(escape(f"({schema['format']})"))
    if schema.get("enum"):
        parts.append(escape("one of " + ", ".join(str(v) for v in schema["enum"])))
    for key, word in (
        ("minimum", "≥"),
        ("maximum", "≤"),
        ("minLength", "length ≥"),
        ("maxLength", "length ≤"),
    ):
        if key in schema:
            parts.append(escape(f"{word} {schema[key]}"))
    if schema.get("nullable"):
        parts.append(Markup("or null"))
    return Markup(" ").join(parts)


def _operations(spec: dict) -> list[dict]:
    found = []
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body, body_type = None, None
            content = (op.get("requestBody") or {}).get("content") or {}
            for kind, media in content.items():
                body, body_type = media.get("schema"), kind
                break
            responses = []
            for code, response in sorted((op.get("responses") or {}).items()):
                media = next(iter((response.get("content") or {}).values()), {})
                responses.append(
                    (
                        code,
                        {
                            "description": response.get("description", ""),
                            "schema": media.get("schema"),
                        },
                    )
                )
            found.append(
                {
                    "path": path,
                    "method": method,
                    "summary": op.get("summary"),
                    "description": op.get("description"),
                    "tag": (op.get("tags") or ["API"])[0],
                    "parameters": [*shared, *op.get("parameters", [])],
                    "body": body,
                    "body_type": body_type,
                    "responses": responses,
                    "anchor": f"{method}-{path}".replace("/", "-")
                    .replace("{", "")
                    .replace("}", ""),
                }
            )
    return found


def docs_page():
    spec = api.spec.to_dict()
    operations = _operations(spec)
    tags: dict[str, list[dict]] = {}
    for op in operations:
        tags.setdefault(op["tag"], []).append(op)
    schemas = sorted(spec.get("components", {}).get("schemas", {}).items())
    return render_template(
        "api_docs.html",
        spec=spec,
        operations=operations,
        groups=list(tags.items()),
        schemas=schemas,
        describe=describe,
    )
