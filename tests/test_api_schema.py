"""schemathesis fuzzes the JSON API from its own OpenAPI description (/api/v1/openapi.json).

Every generated request — valid and invalid parameters, random Unicode, huge
values — must get a documented status with a body that matches the
description: never a 500, never a response the description does not cover.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection

from search_app import create_app
from searcher.handle import IndexHandle

# The description does not need an index, so the schema can be loaded when the
# module is collected (schemathesis's lazy fixture loader does not work with
# pytest 9); the fixture below points the app at the session's sample index.
# Read-only (no admin token): the write operations must answer 403 and change nothing.
APP = create_app({"TESTING": True, "INDEX_DIR": "not-built-yet"})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def serve_sample_index(index_dir):
    placeholder = APP.extensions["index_handle"]
    APP.config["INDEX_DIR"] = str(index_dir)
    APP.extensions["index_handle"] = IndexHandle(index_dir)
    yield
    APP.extensions["index_handle"].close()
    APP.extensions["index_handle"] = placeholder


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_every_generated_request_as_described(case):
    # Not negative_data_rejection: a query string carries no types, so many of
    # its "invalid" mutations arrive as valid strings (issuer=0.0 for a number,
    # per_page= for an object) and are rightly answered 200; the check failed
    # at random (once in a handful of runs here). A value that cannot be used
    # gets a 400 JSON error, never a 500: tests/test_hostile_input.py checks
    # that with random values of every parameter.
    #
    # Accept-Encoding: identity because schemathesis's WSGI transport asks for
    # gzip but does not decompress the body (an HTTP client would);
    # tests/test_app.py checks the compressed responses.
    case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=[negative_data_rejection])
