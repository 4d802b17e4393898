# schemathesis hook for scripts/api-contract: every generated request carries the admin bearer token.
# Without it, schemathesis's unauthenticated probes trip the failed-auth limiter (10 per minute per address) and the
# rest of the run sees only 429s. Missing and wrong tokens are covered by the Swift contract and REST tests.
import os

import schemathesis


@schemathesis.hook
def before_call(context, case, kwargs):
    case.headers = case.headers or {}
    case.headers["Authorization"] = "Bearer " + os.environ["API_CONTRACT_TOKEN"]
