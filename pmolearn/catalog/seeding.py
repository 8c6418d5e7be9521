"""Load the certification catalog from ``seeds/`` YAML: sources, issuers, certifications with
their versioned renewal policies and activity types.

The catalog is researched data that changes when issuers change their rules, so it lives in
``seeds/certifications.yaml`` next to the sources it cites, never in Python or in migrations.
Loading is idempotent so that ``pmolearn seed`` can run on every deploy: each row is matched by
its natural key (``Source.code``, ``Issuer.code``, ``Certification.code``, a ``RenewalPolicy`` by
certification and ``effective_from``, an ``ActivityType`` by policy and code) and only fields
that differ are written. The skill framework and PMO job roles in the same file are loaded by
``skills.seeding``, after this.

The whole file is checked before anything is written, and the loader only flushes: the caller
commits once (or rolls back), so a bad file leaves the database as it was. Rows that vanish from
the file are kept, because credentials and PDU claims may point at them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pmolearn.catalog import snapshot
from pmolearn.catalog.models import (
    ActivityType,
    Certification,
    EligibilityRuleSet,
    Issuer,
    RenewalPolicy,
    Source,
)
from pmolearn.catalog.seed_policies import _parse_policy
from pmolearn.catalog.seed_values import (
    SEED_FILE,
    SeedError,
    Writer,
    check_version,
    codes_value,
    confidence_value,
    date_value,
    fits,
    int_value,
    json_value,
    list_value,
    mapping,
    read_seed_file,
    text_value,
    unique,
)
from pmolearn.extensions import db

CERT_STATUSES = ("active", "superseded", "retired")
KINDS = ("sources", "issuers", "certifications", "renewal_policies", "activity_types",
         "eligibility_rule_sets")  # fmt: skip


def load_catalog(seeds_dir: Path) -> dict[str, int]:
    """Create or update every catalog row from ``seeds_dir``; flush only.

    :returns: ``{"<kind>_created": n, "<kind>_updated": n, ...}`` for every kind in ``KINDS``;
        all zero on a second run.
    :raises SeedError: the file is missing, unreadable or inconsistent; nothing was written.
    """
    path = Path(seeds_dir) / SEED_FILE
    return write_catalog(parse_seed(read_seed_file(path), path.name))


def write_catalog(seed: Seed) -> dict[str, int]:
    """Write a checked ``Seed``; flush only."""
    writer = _CatalogWriter(KINDS)
    with db.session.no_autoflush:  # half-built rows must not reach the database early
        writer.write(seed)
    db.session.flush()
    snapshot.raise_revision()
    return writer.counts


@dataclass
class Seed:
    """The file turned into model field values, checked, but not yet written."""

    sources: dict[str, dict] = field(default_factory=dict)
    issuers: dict[str, dict] = field(default_factory=dict)
    #: code -> {"values", "issuer", "policy": {"values", "activity_types": {code: values}}}
    certifications: dict[str, dict] = field(default_factory=dict)


def parse_seed(data: dict, name: str = SEED_FILE) -> Seed:
    """Check the whole document and build a ``Seed``; every error names ``name`` and the place."""
    try:
        check_version(data)
        seed = Seed()
        seed.sources = _parse_sources(data.get("sources"))
        _check_citations(data, set(seed.sources))
        seed.issuers = _parse_issuers(data.get("issuers"))
        seed.certifications = _parse_certifications(data.get("certifications"), seed.issuers)
    except SeedError as exc:
        raise SeedError(f"{name}: {exc}") from None
    return seed


def _parse_sources(raw: Any) -> dict[str, dict]:
    result = {}
    for code, item in mapping(raw, "sources").items():
        where = f"sources.{code}"
        item = mapping(item, where)
        values = {
            "code": text_value(code, where + " code", required=True),
            "kind": text_value(item.get("kind"), where + ".kind", required=True),
            "title": text_value(item.get("title"), where + ".title", required=True),
            "url": text_value(item.get("url"), where + ".url"),
        }
        result[values["code"]] = fits(Source, values, where)
    return result


def _check_citations(node: Any, known: set[str], where: str = "") -> None:
    """Every ``sources`` / ``*_sources`` list must cite codes of the source registry."""
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{where}.{key}" if where else str(key)
            if key == "sources" and not where:
                continue  # the registry itself
            if str(key).endswith("sources") and isinstance(value, list):
                unknown = [code for code in value if code not in known]
                if unknown:
                    raise SeedError(f"{path} cites unknown source(s) {unknown}; add to sources")
            _check_citations(value, known, path)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            _check_citations(value, known, f"{where}[{index}]")


def _parse_issuers(raw: Any) -> dict[str, dict]:
    result = {}
    for index, item in enumerate(list_value(raw, "issuers")):
        where = f"issuers[{index}]"
        item = mapping(item, where)
        values = {
            "code": text_value(item.get("code"), where + ".code", required=True),
            "name": text_value(item.get("name"), where + ".name", required=True),
            "url": text_value(item.get("url"), where + ".url"),
            "notes": text_value(item.get("notes"), where + ".notes"),
        }
        unique(values["code"], result, "issuer code")
        result[values["code"]] = fits(Issuer, values, where)
    return result


def _parse_certifications(raw: Any, issuers: dict) -> dict[str, dict]:
    result: dict[str, dict] = {}
    for index, item in enumerate(list_value(raw, "certifications")):
        item = mapping(item, f"certifications[{index}]")
        code = text_value(item.get("code"), f"certifications[{index}].code", required=True)
        unique(code, result, "certification code")
        result[code] = _parse_certification(item, f"certification {code}", issuers)
    for code, cert in result.items():
        successor = cert["values"]["superseded_by"]
        if successor is not None and successor not in result:
            raise SeedError(f"certification {code}: superseded_by names unknown {successor!r}")
        for old in cert["supersedes"]:
            if old not in result or result[old]["values"]["superseded_by"] != code:
                raise SeedError(
                    f"certification {code}: supersedes {old!r}, but {old!r} is not in the file "
                    f"with superseded_by: {code}"
                )
    return result


def _parse_certification(item: dict, where: str, issuers: dict) -> dict:
    issuer = text_value(item.get("issuer"), where + ".issuer", required=True)
    if issuer not in issuers:
        raise SeedError(f"{where}: unknown issuer {issuer!r}; add it to issuers")
    status = text_value(item.get("status"), where + ".status") or "active"
    if status not in CERT_STATUSES:
        raise SeedError(f"{where}: status {status!r} is not one of {', '.join(CERT_STATUSES)}")
    values = {
        "code": item["code"],
        "name": text_value(item.get("name"), where + ".name", required=True),
        "status": status,
        "level": text_value(item.get("level"), where + ".level"),
        "certifies": text_value(item.get("certifies"), where + ".certifies"),
        "superseded_by": text_value(item.get("superseded_by"), where + ".superseded_by"),
        "available_from": date_value(item.get("available_from"), where + ".available_from"),
        "eligibility": json_value(mapping(item.get("eligibility"), where + ".eligibility", True)),
        "exam": json_value(mapping(item.get("exam"), where + ".exam", optional=True)),
        "fees": json_value(mapping(item.get("fees"), where + ".fees", optional=True)),
        "typical_roles": json_value(
            list_value(item.get("typical_roles"), where + ".typical_roles", True)
        ),
        "source_codes": json_value(
            list_value(item.get("sources"), where + ".sources", optional=True)
        ),
        "unconfirmed": json_value(
            list_value(item.get("unconfirmed"), where + ".unconfirmed", True)
        ),
        "suits": text_value(item.get("suits"), where + ".suits"),
        "study_hours": int_value(item.get("study_hours"), where + ".study_hours"),
        "exam_rules": json_value(mapping(item.get("exam_rules"), where + ".exam_rules", True)),
    }
    renewal = mapping(item.get("renewal"), where + ".renewal")
    earlier = list_value(item.get("earlier_renewals"), where + ".earlier_renewals", True)
    policies = [_parse_policy(renewal, values["fees"], where + ".renewal")] + [
        _parse_policy(
            mapping(old, f"{where}.earlier_renewals[{n}]"), {}, f"{where}.earlier_renewals[{n}]"
        )  # fmt: skip
        for n, old in enumerate(earlier)
    ]
    starts = [p["values"]["effective_from"] for p in policies]
    if len(set(starts)) != len(starts):
        raise SeedError(f"{where}: two renewal policies share the effective date")
    return {
        "values": fits(Certification, values, where),
        "issuer": issuer,
        "supersedes": codes_value(item.get("supersedes"), where + ".supersedes"),
        "policies": policies,
        "rule_sets": _parse_rule_sets(item.get("eligibility_rules"), where),
    }


#: What a rule set's ``paths`` may ask for, lowest first (``gac`` marks a GAC-accredited degree).
EDUCATION_LEVELS = ("any", "secondary", "associate", "bachelor", "postgraduate")
EXPERIENCE_KINDS = ("project", "program", "portfolio", "pmo")


def _parse_rule_sets(raw: Any, where: str) -> dict[str, dict]:
    """``eligibility_rules`` -> ``{label: EligibilityRuleSet fields}``, each checked."""
    result: dict[str, dict] = {}
    for index, item in enumerate(list_value(raw, where + ".eligibility_rules", True)):
        here = f"{where}.eligibility_rules[{index}]"
        item = mapping(item, here)
        label = text_value(item.get("label"), here + ".label", required=True)
        unique(label, result, f"eligibility rule set in {where}")
        rules = {
            key: json_value(item[key])
            for key in (
                "experience_window_years",
                "paths",
                "training",
                "courses",
                "closed",
                "note",
            )  # fmt: skip
            if item.get(key) is not None
        }
        for n, path in enumerate(rules.get("paths", [])):
            _check_path(mapping(path, f"{here}.paths[{n}]"), f"{here}.paths[{n}]")
        if not rules.get("paths") and not rules.get("closed"):
            raise SeedError(f"{here}: give paths (or closed: why it is closed)")
        values = {
            "label": label,
            "position": index,
            "effective_from": date_value(item.get("effective_from"), here + ".effective_from"),
            "effective_to": date_value(item.get("effective_to"), here + ".effective_to"),
            "disputed": text_value(item.get("disputed"), here + ".disputed"),
            "rules": rules,
            "source_codes": json_value(list_value(item.get("sources"), here + ".sources", True)),
            "confidence": confidence_value(item.get("confidence")),
        }
        result[label] = fits(EligibilityRuleSet, values, here)
    return result


def _check_path(path: dict, where: str) -> None:
    if path.get("education", "any") not in EDUCATION_LEVELS:
        raise SeedError(f"{where}: education must be one of {', '.join(EDUCATION_LEVELS)}")
    for n, need in enumerate(list_value(path.get("experience"), where + ".experience", True)):
        need = mapping(need, f"{where}.experience[{n}]")
        int_value(need.get("months"), f"{where}.experience[{n}].months")
        unknown = set(need.get("kinds") or []) - set(EXPERIENCE_KINDS)
        if unknown:
            raise SeedError(f"{where}.experience[{n}]: unknown kinds {sorted(unknown)}")


# --------------------------------------------------------------------------- writing


class _CatalogWriter(Writer):
    def write(self, seed: Seed) -> None:
        self.keyed(Source, Source.code, "sources", seed.sources)
        issuers = self.keyed(Issuer, Issuer.code, "issuers", seed.issuers)
        self.certifications(seed.certifications, issuers)

    def certifications(self, wanted: dict, issuers: dict) -> None:
        query = select(Certification).options(
            selectinload(Certification.policies), selectinload(Certification.eligibility_rules)
        )
        existing = {cert.code: cert for cert in db.session.scalars(query)}
        for code, spec in wanted.items():
            values = {**spec["values"], "issuer": issuers[spec["issuer"]]}
            cert = self.upsert("certifications", existing.get(code), Certification, values)
            for policy in spec["policies"]:
                self.policy(cert, policy)
            current = {rules.label: rules for rules in cert.eligibility_rules}
            for label, rule_values in spec["rule_sets"].items():
                self.upsert("eligibility_rule_sets", current.get(label), EligibilityRuleSet,
                            rule_values, cert.eligibility_rules)  # fmt: skip

    def policy(self, cert: Certification, spec: dict) -> None:
        start = spec["values"]["effective_from"]
        row = next((p for p in cert.policies if p.effective_from == start), None)
        policy = self.upsert("renewal_policies", row, RenewalPolicy, spec["values"], cert.policies)
        current = {activity.code: activity for activity in policy.activity_types}
        for code, values in spec["activity_types"].items():
            self.upsert(
                "activity_types", current.get(code), ActivityType, values, policy.activity_types
            )
