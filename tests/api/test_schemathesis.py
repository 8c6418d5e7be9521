"""Schemathesis against the app's own OpenAPI document, in the suite: every operation, a few
generated requests each (bounded so the suite stays quick), as an admin; no 5xx and no response
that breaks the document. (A longer run goes through the ``st`` command; see the README.)"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")
EXAMPLES = 15


def test_every_operation_keeps_to_the_document(app, people, catalog, pmp, bearer):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = bearer("admin")
    tested = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case):
            case.call_and_validate(
                headers=headers,
                # Made-up ids are rightly 404; who may call what is the authorization matrix's
                # test (ignored_auth re-sends the explicit header, so it cannot tell here).
                excluded_checks=[positive_data_acceptance, ignored_auth],
            )

        call()
        tested.append(operation.label)
    assert len(tested) >= 40
