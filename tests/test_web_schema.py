"""Schemathesis against the OpenAPI description: at least 100 generated requests per operation
(valid and invalid), zero server errors, every response as the schema says. The server has a
user, and every request carries that admin's API token (``Authorization: Bearer``).

``positive_data_acceptance`` is left out on purpose: some rules cannot be written in JSON
Schema (audience shares adding up to at most 100%, niche and country names, card ids in
``changes``), so a schema-valid request can rightly get 422 with the field named.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from kreator.ledger import accounts, open_ledger
from kreator.web import WebSettings, create_app

DB = str(Path(tempfile.mkdtemp()) / "ledger.sqlite")
with open_ledger(DB) as _ledger:
    accounts.add_user(_ledger, "ada", "admin", "a long passphrase")
    AUTH = {"Authorization": f"Bearer {accounts.create_token(_ledger, 'ada')[1]}"}
APP = create_app(WebSettings(allowed_hosts=("testserver", "127.0.0.1"), db=DB))
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, headers=AUTH)


@schema.parametrize()
@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_description(case) -> None:
    response = case.call_and_validate(headers=AUTH, excluded_checks=[positive_data_acceptance])
    assert response.status_code < 500
