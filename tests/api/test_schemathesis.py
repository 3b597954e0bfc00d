"""Property-based: schemathesis reads /api/openapi.json from the running server and fires
generated requests — ones that fit the document and ones that do not — at Shop's API and the
contracts API. No 5xx, every response matches its documented schema (errors included), every
documented error shape holds, undocumented methods are refused."""

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "shop"]),
    pytest.mark.slow,
]  # fuzzes every operation
# Shop's API and the contracts' read-and-check API. The page's controls switch Shop off on
# purpose (500, 503): they are tested by name in test_console.py, not fuzzed.
FUZZED = r"^/api/(shop/|contracts)"


def operations(server):
    schema = schemathesis.openapi.from_url(f"{server.url}/api/openapi.json").include(
        path_regex=FUZZED
    )
    schema.config.base_url = server.url
    # A well-formed order may still name a customer who does not exist, or reuse an Idempotency-Key
    # with another body: Shop answers 422 naming the field. The schema cannot know who exists.
    acceptance = schema.config.checks.positive_data_acceptance
    acceptance.expected_statuses = [*acceptance.expected_statuses, "422"]
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 10
    return found


def check(operation, mode, base_url):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None
    )
    def run(case):
        # A fresh client id per case: the rate limit is per client (and tested by name elsewhere).
        case.call_and_validate(
            base_url=base_url, headers={"X-Client-Id": f"fuzz-{uuid.uuid4().hex[:12]}"}
        )

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_honours_its_openapi_document(asgi_server, shop, mode):
    for operation in operations(asgi_server):
        try:
            check(operation, mode, asgi_server.url)
        except Unsatisfiable:  # no parameters and no body: nothing can be made invalid
            assert mode == GenerationMode.NEGATIVE and not operation.query and not operation.body
        except Exception as exc:
            exc.add_note(f"while fuzzing {operation.method.upper()} {operation.path} ({mode})")
            raise
