"""The seed loader: researched numbers arrive intact, a second run changes nothing, bad files fail
clearly and write nothing."""

from __future__ import annotations

import copy
import datetime as dt
import functools
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from pmolearn import create_app
from pmolearn.catalog.models import ActivityType, Certification, Issuer, RenewalPolicy, Source
from pmolearn.catalog.seed_values import SeedError
from pmolearn.cli import load_seeds
from pmolearn.extensions import db
from pmolearn.skills.models import (
    JobRole,
    JobRoleCertificationGroup,
    JobRoleSkill,
    Skill,
    SkillLevel,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MODELS = (
    Source,
    Issuer,
    Certification,
    RenewalPolicy,
    ActivityType,
    SkillLevel,
    Skill,
    JobRole,
    JobRoleSkill,
    JobRoleCertificationGroup,
)
ALL_CODES = {"PMP", "PgMP", "PfMP", "PMI-PMOCP", "PMO-CP", "SAFe-SPC", "CAPM", "PMI-ACP"}


@pytest.fixture
def app():
    """An app on a private in-memory database, so these tests need no shared schema."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "t",
        }
    )
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def seeded(app):
    counts = load_seeds(SEEDS)
    db.session.commit()
    return counts


@functools.cache
def _parsed_seed_file() -> dict:
    return yaml.safe_load((SEEDS / "certifications.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def seed_data() -> dict:
    """The real seed file as data (a fresh copy), to write changed copies with ``write_seed``."""
    return copy.deepcopy(_parsed_seed_file())


def write_seed(folder: Path, data: dict) -> Path:
    (folder / "certifications.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder


def policy(code: str) -> RenewalPolicy:
    """The certification's policy in force today (CAPM also has an earlier one)."""
    cert = db.session.scalar(select(Certification).where(Certification.code == code))
    assert cert is not None, code
    assert len(cert.policies) == (2 if code == "CAPM" else 1)
    return cert.policy_on(dt.date(2026, 11, 25))


def activity(pol: RenewalPolicy, code: str) -> ActivityType:
    return next(a for a in pol.activity_types if a.code == code)


def row_counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in MODELS}


def find(items: list[dict], code: str, key: str = "code") -> dict:
    return next(item for item in items if item[key] == code)


# --------------------------------------------------------------------------- what gets loaded


def test_all_eight_certifications_with_their_issuers(seeded):
    certs = db.session.scalars(select(Certification)).all()
    assert {c.code for c in certs} == ALL_CODES
    assert {c.code: c.issuer.code for c in certs}["SAFe-SPC"] == "SAI"
    assert seeded["certifications_created"] == 8
    assert seeded["renewal_policies_created"] == 9  # CAPM's re-examination rule before 2020-10-01
    assert seeded["eligibility_rule_sets_created"] == 9


def test_pmp_policy_numbers(seeded):
    pmp = policy("PMP")
    assert pmp.label == "PMP since 2015-12-01"
    assert "Talent-Triangle" in pmp.notes
    assert (pmp.cycle_years, pmp.pdus_required) == (3, 60)
    assert pmp.categories["education"] == {"min": 35, "max": None}
    assert pmp.categories["giving_back"]["max"] == 25
    assert pmp.area_minimums == {"ways_of_working": 8, "power_skills": 8, "business_acumen": 8}
    assert pmp.carry_over_allowed is True
    assert pmp.carry_over_max == 20
    assert pmp.carry_over_window_months == 12
    assert pmp.grace_months == 12
    assert (pmp.renewal_fee_member, pmp.renewal_fee_non_member) == (60, 150)
    assert pmp.confidence == "H"
    assert "S34" in pmp.source_codes

    working = activity(pmp, "working_as_professional")
    assert (working.category, working.cap_per_cycle, working.claims_per_cycle) == (
        "giving_back",
        8,
        1,
    )
    assert working.transferable is False
    meeting = activity(pmp, "organization_meeting")
    assert (meeting.category, meeting.cap_per_activity, meeting.cap_per_cycle) == (
        "education",
        2,
        None,
    )
    assert meeting.transferable is True
    assert [a.code for a in pmp.activity_types][:2] == ["course", "organization_meeting"]
    assert [a.position for a in pmp.activity_types] == list(range(10))


def test_capm_policy_numbers_and_unconfirmed_carry_over(seeded):
    """15 PDUs from 1 October 2020; before that, re-examination every 5 years (U8)."""
    capm = policy("CAPM")
    assert capm.effective_from == dt.date(2020, 10, 1)
    before = capm.certification.policy_on(dt.date(2019, 5, 1))
    assert (before.cycle_years, before.pdus_required, before.scheme) == (5, None, "Re-examination")
    assert capm.pdus_required == 15
    assert capm.categories["education"]["min"] == 9
    assert capm.categories["giving_back"]["max"] == 6
    assert set(capm.area_minimums.values()) == {2}
    assert activity(capm, "working_as_professional").cap_per_cycle == 2
    assert capm.carry_over_allowed is True
    assert capm.carry_over_max is None
    assert (capm.renewal_fee_member, capm.renewal_fee_non_member) == (None, None)


def test_pmocp_renewal_is_unconfirmed(seeded):
    pmocp = policy("PMI-PMOCP")
    assert pmocp.cycle_years is None
    assert pmocp.pdus_required is None
    assert pmocp.is_confirmed is False
    assert pmocp.effective_from == dt.date(2025, 2, 4)
    assert pmocp.confidence == "unconfirmed"
    cert = pmocp.certification
    assert cert.available_from == dt.date(2025, 2, 4)
    assert "Exam fees." in cert.unconfirmed


def test_pmo_cp_is_superseded_by_pmocp(seeded):
    legacy = policy("PMO-CP").certification
    assert (legacy.status, legacy.superseded_by) == ("superseded", "PMI-PMOCP")
    assert legacy.issuer.code == "PMOGA"
    assert policy("PMO-CP").pdus_required is None


def test_safe_spc_renews_every_year_by_attestation_and_fee(seeded):
    """UPDATE-2026-12 U6 (D8): no hours; the fee stays unconfirmed; no date dates the rule."""
    spc = policy("SAFe-SPC")
    assert (spc.cycle_years, spc.pdus_required) == (1, 0)
    assert spc.is_confirmed and spc.activity_types == []
    assert spc.grace_months is None and spc.renewal_fee_member is None
    assert spc.confidence == "M-H"
    assert spc.source_codes == ["D8", "S12", "S72"]
    assert spc.label == "SAFe-SPC renewal rules"  # no placeholder date on show


def test_pmo_cp_is_held_for_life(seeded):
    legacy = policy("PMO-CP")
    assert legacy.lifetime is True and legacy.cycle_years is None
    assert not legacy.effective_from_known
    rules = legacy.certification.eligibility_rules
    assert [r.rules.get("closed") for r in rules][0].startswith("Closed to new candidates")


def test_sources_registry(seeded):
    s01 = db.session.get(Source, "S01")
    assert s01.url == "https://www.pmi.org/certifications/certification-resources/maintain"
    assert s01.kind == "official"
    assert db.session.get(Source, "S40").url is None


def test_json_blocks_keep_the_research(seeded):
    pmp = policy("PMP").certification
    assert pmp.exam["current_version"] == "ECO-2026"
    assert pmp.fees["exam_non_member_reported"] == [555, 575, 675]
    assert pmp.fees["dated"]["exam_non_member"] == "2026-06-30" and pmp.fees["verify_with_issuer"]
    assert pmp.eligibility["paths"][0]["experience_months"] == 36
    assert "project_manager" in pmp.typical_roles


def test_no_unconfirmed_value_gets_a_number(seeded, seed_data):
    """Where the researched file says null, the row says None."""
    fields = {
        "cycle_years": "cycle_years",
        "pdus_required": "pdus_required",
        "carry_over_max": ("carry_over", "max_pdus"),
        "grace_months": ("grace_period", "grace_months"),
    }
    for cert in seed_data["certifications"]:
        pol, renewal = policy(cert["code"]), cert["renewal"]  # the current rule of each
        for column, path in fields.items():
            block = renewal
            for part in path if isinstance(path, tuple) else (path,):
                block = (block or {}).get(part)
            if block is None:
                assert getattr(pol, column) is None, (cert["code"], column)
        for column, key in (
            ("renewal_fee_member", "renewal_member"),
            ("renewal_fee_non_member", "renewal_non_member"),
        ):
            if cert["fees"].get(key) is None:
                assert getattr(pol, column) is None, (cert["code"], column)


def test_skills_levels_and_roles(seeded):
    assert db.session.get(SkillLevel, 4).name == "Enable"
    prmg = db.session.scalar(select(Skill).where(Skill.code == "PRMG"))
    assert prmg.levels_defined == [4, 5, 6, 7]
    assert set(prmg.level_summary) == {"4", "5", "6", "7"}
    assert prmg.framework == "SFIA 9"

    analyst = db.session.scalar(select(JobRole).where(JobRole.code == "pmo_analyst"))
    prof = next(r for r in analyst.skill_requirements if r.skill.code == "PROF")
    assert (prof.level, prof.target_level) == (3, 4)
    assert [(g.mode, g.requirement) for g in analyst.certification_groups] == [("any", "preferred")]

    manager = db.session.scalar(select(JobRole).where(JobRole.code == "project_manager"))
    groups = {g.requirement: g for g in manager.certification_groups}
    assert (groups["required"].mode, groups["required"].certification_codes) == ("all", ["PMP"])
    assert "preferred" in groups["required"].note
    assert groups["preferred"].certification_codes == ["PMI-ACP", "CAPM"]
    assert "Editorial mapping" in manager.notes


def test_fee_only_renewal_is_expressible(app, seed_data, tmp_path):
    fee_only = copy.deepcopy(find(seed_data["certifications"], "PMO-CP"))
    fee_only.update(code="FEE-ONLY", status="active", superseded_by=None, typical_roles=[])
    fee_only["renewal"] = {"effective_from": "2024-01-01", "cycle_years": 1, "pdus_required": 0}
    seed_data["certifications"].append(fee_only)
    load_seeds(write_seed(tmp_path, seed_data))
    pol = policy("FEE-ONLY")
    assert (pol.cycle_years, pol.pdus_required) == (1, 0)
    assert pol.is_confirmed is True
    assert pol.categories == {} and pol.activity_types == []


# --------------------------------------------------------------------------- idempotence


def test_second_load_changes_nothing(seeded):
    before = row_counts()
    again = load_seeds(SEEDS)
    db.session.commit()
    assert set(again.values()) == {0}
    assert row_counts() == before
    assert before["Certification"] == 8
    assert before["Source"] == seeded["sources_created"]
    assert before["ActivityType"] == seeded["activity_types_created"]


def test_changed_file_updates_rows_in_place(seeded, seed_data, tmp_path):
    find(seed_data["certifications"], "PMP")["fees"]["renewal_member"] = 65
    seed_data["sources"]["S01"]["title"] = "PMI - Maintain your certification (moved)"
    analyst = find(seed_data["roles"]["items"], "pmo_analyst", key="id")
    analyst["skills"] = [{"code": "PROF", "level": 4}, {"code": "MEAS", "level": 3}]
    analyst["required_certifications"] = ["CAPM"]
    before = row_counts()

    counts = load_seeds(write_seed(tmp_path, seed_data))
    db.session.commit()

    pmp = policy("PMP")
    assert pmp.renewal_fee_member == Decimal("65")
    assert pmp.certification.fees["renewal_member"] == 65
    assert db.session.get(Source, "S01").title.endswith("(moved)")
    role = db.session.scalar(select(JobRole).where(JobRole.code == "pmo_analyst"))
    assert {(r.skill.code, r.level, r.target_level) for r in role.skill_requirements} == {
        ("PROF", 4, None),
        ("MEAS", 3, None),
    }
    assert {g.requirement for g in role.certification_groups} == {"required", "preferred"}
    assert counts["certifications_updated"] == 1
    assert counts["renewal_policies_updated"] == 1
    assert counts["sources_updated"] == 1
    assert counts["job_role_skills_updated"] == 1
    assert counts["job_role_skills_deleted"] == 2
    assert counts["job_role_certification_groups_created"] == 1
    assert counts["certifications_created"] == counts["renewal_policies_created"] == 0
    after = row_counts()
    assert after["JobRoleSkill"] == before["JobRoleSkill"] - 2
    assert after["JobRoleCertificationGroup"] == before["JobRoleCertificationGroup"] + 1
    assert {k: v for k, v in after.items() if not k.startswith("JobRole")} == {
        k: v for k, v in before.items() if not k.startswith("JobRole")
    }


def test_new_effective_date_adds_a_policy_version(seeded, seed_data, tmp_path):
    renewal = find(seed_data["certifications"], "PMP")["renewal"]
    renewal["effective_from"] = "2027-01-01"
    load_seeds(write_seed(tmp_path, seed_data))
    db.session.commit()
    pmp = db.session.scalar(select(Certification).where(Certification.code == "PMP"))
    assert [p.effective_from for p in pmp.policies] == [dt.date(2015, 12, 1), dt.date(2027, 1, 1)]
    assert pmp.policy_on(dt.date(2026, 6, 1)).effective_from == dt.date(2015, 12, 1)


def test_dates_inside_json_blocks_become_strings(app, seed_data, tmp_path):
    version = find(seed_data["certifications"], "PMP")["exam"]["versions"][1]
    version["effective_from"] = dt.date(2026, 7, 9)  # dumped unquoted, read back as a date
    load_seeds(write_seed(tmp_path, seed_data))
    db.session.commit()
    db.session.expire_all()
    exam = policy("PMP").certification.exam
    assert exam["versions"][1]["effective_from"] == "2026-07-09"


# --------------------------------------------------------------------------- bad files


def assert_rejected(folder: Path, *fragments: str) -> None:
    with pytest.raises(SeedError) as caught:
        load_seeds(folder)
    for fragment in fragments:
        assert fragment in str(caught.value)
    assert not db.session.new and not db.session.dirty
    assert db.session.scalar(select(func.count()).select_from(Certification)) == 0


def test_missing_file(app, tmp_path):
    assert_rejected(tmp_path, "seed file not found", "certifications.yaml")


def test_wrong_schema_version(app, seed_data, tmp_path):
    seed_data["schema_version"] = 2
    assert_rejected(write_seed(tmp_path, seed_data), "certifications.yaml", "schema_version is 2")


def test_not_yaml_mapping(app, tmp_path):
    (tmp_path / "certifications.yaml").write_text("- just\n- a list\n")
    assert_rejected(tmp_path, "expected a mapping")


def test_role_with_unknown_skill(app, seed_data, tmp_path):
    find(seed_data["roles"]["items"], "pmo_manager", key="id")["skills"].append(
        {"code": "NOPE", "level": 4}
    )
    assert_rejected(write_seed(tmp_path, seed_data), "role pmo_manager", "unknown skill 'NOPE'")


def test_role_with_unknown_certification(app, seed_data, tmp_path):
    find(seed_data["roles"]["items"], "pmo_manager", key="id")["preferred_certifications"].append(
        "PRINCE2"
    )
    assert_rejected(write_seed(tmp_path, seed_data), "pmo_manager", "PRINCE2")


def test_certification_without_code(app, seed_data, tmp_path):
    del seed_data["certifications"][2]["code"]
    assert_rejected(write_seed(tmp_path, seed_data), "certifications[2].code is missing")


def test_policy_without_effective_date(app, seed_data, tmp_path):
    del find(seed_data["certifications"], "PMP")["renewal"]["effective_from"]
    assert_rejected(write_seed(tmp_path, seed_data), "PMP.renewal.effective_from is missing")


def test_unknown_source_citation(app, seed_data, tmp_path):
    find(seed_data["certifications"], "CAPM")["renewal"]["sources"].append("S999")
    assert_rejected(write_seed(tmp_path, seed_data), "S999")


def test_bad_number(app, seed_data, tmp_path):
    find(seed_data["certifications"], "PMP")["renewal"]["pdus_required"] = "sixty"
    assert_rejected(write_seed(tmp_path, seed_data), "PMP.renewal.pdus_required", "'sixty'")
