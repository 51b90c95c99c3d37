"""
The comparison baseline for `npm run bench -- edge`: a hand-written Python edge calling the core
with boto3, as the seed's edge was (docs/BRING-YOUR-OWN-CORE.md, "Migrating from a hand-written
Python edge"), written the way a careful author would so the comparison is fair to it: the same
work as gatehouse's edge for the sample's `POST /inference` route, no more, no less.

It reads the HTTP API v2 event, checks the origin against the allow-list (never `*`), reads the
JWT claims the authorizer passed (an ID token, its groups), decodes the body (base64 when the
gateway encoded it), validates the sample's four fields by hand (every failing field reported),
enriches the input with the caller's identity and the request's facts, invokes the core with a
boto3 Lambda client made once at import (retries off, so a timed-out invoke never runs the core
twice; a read timeout below the API's 30 s), maps the answer, and writes one JSON log line.

Not shipped and not a template: it exists only to be measured against. Needs `boto3` (Debian:
`apt-get install python3-boto3`); the bench skips its rows, saying why, when it is missing.
"""
import base64
import json
import os
import time
from datetime import datetime, timezone

import boto3
from botocore.config import Config

ALLOWED_ORIGINS = frozenset(o.strip() for o in os.environ["ALLOWED_ORIGINS"].split(",") if o.strip())
CORE_FUNCTION = dict(t.split("=", 1) for t in os.environ["CORE_TARGETS"].split(","))["figures"]
PERIODS = ("Q1", "Q2", "Q3", "Q4", "H1", "H2", "FY")
FIELDS = ("partner", "year", "period", "question")

lambda_client = boto3.client(
    "lambda",
    region_name=os.environ["AWS_REGION"],
    # boto3 before 1.28 does not read AWS_ENDPOINT_URL_LAMBDA itself; Lambda never sets it.
    endpoint_url=os.environ.get("AWS_ENDPOINT_URL_LAMBDA") or None,
    config=Config(retries={"total_max_attempts": 1}, connect_timeout=2, read_timeout=25),
)


def cors(origin):
    if origin and origin in ALLOWED_ORIGINS:
        return {
            "access-control-allow-origin": origin,
            "access-control-expose-headers": "x-request-id, server-timing, retry-after, location",
            "vary": "Origin",
        }
    return {"vary": "Origin"}


def problem(status, code, detail, request_id, headers, errors=None):
    body = {"type": f"urn:gatehouse:problem:{code}", "status": status, "detail": detail, "code": code,
            "requestId": request_id}
    if errors:
        body["errors"] = errors
    return {"statusCode": status, "headers": {**headers, "content-type": "application/problem+json"},
            "body": json.dumps(body)}


def text_field(body, name, max_length, errors):
    value = body.get(name)
    if not isinstance(value, str):
        errors.append({"path": name, "message": f"{name} is required" if value is None else f"{name} must be text"})
        return None
    value = value.strip()
    if not value:
        errors.append({"path": name, "message": f"{name} must not be empty"})
    elif len(value) > max_length:
        errors.append({"path": name, "message": f"{name} must be at most {max_length} characters"})
    return value


def validate(body):
    if not isinstance(body, dict):
        return None, [{"path": "", "message": "the body must be a JSON object"}]
    errors = [{"path": k, "message": f"unknown field(s): {k}"} for k in body if k not in FIELDS]
    partner = text_field(body, "partner", 200, errors)
    question = text_field(body, "question", 2000, errors)
    year = body.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        errors.append({"path": "year", "message": "year must be a whole number"})
    elif not 1900 <= year <= 2100:
        errors.append({"path": "year", "message": "year must be from 1900 to 2100"})
    period = body.get("period")
    period = period.strip().upper() if isinstance(period, str) else None
    if period not in PERIODS:
        errors.append({"path": "period", "message": "period must be one of Q1, Q2, Q3, Q4, H1, H2, FY"})
    if errors:
        return None, errors
    return {"partner": partner, "year": year, "period": period, "question": question}, None


def lambda_handler(event, context):
    started = time.perf_counter()
    request_context = event.get("requestContext") or {}
    request_id = request_context.get("requestId") or context.aws_request_id
    headers = event.get("headers") or {}
    origin = headers.get("origin")
    answer_headers = {**cors(origin), "x-request-id": request_id, "cache-control": "no-store"}
    if origin and origin not in ALLOWED_ORIGINS:
        return problem(403, "origin_not_allowed", "This API does not accept requests from this page.",
                       request_id, answer_headers)

    claims = ((request_context.get("authorizer") or {}).get("jwt") or {}).get("claims") or {}
    if not claims.get("sub"):
        return problem(401, "unauthorized", "No signed-in user came with this request.", request_id,
                       {**answer_headers, "www-authenticate": "Bearer"})
    if claims.get("token_use") != "id":
        return problem(401, "wrong_token_use", "This API expects an ID token.", request_id,
                       {**answer_headers, "www-authenticate": 'Bearer error="invalid_token"'})
    groups = claims.get("cognito:groups", "").strip("[]").split()

    raw = event.get("body") or ""
    content_type = (headers.get("content-type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return problem(415, "unsupported_media_type", "The body must be sent as application/json.", request_id,
                       answer_headers)
    try:
        body = json.loads(base64.b64decode(raw, validate=True) if event.get("isBase64Encoded") else raw)
    except ValueError:
        return problem(400, "invalid_json", "The body is not valid JSON.", request_id, answer_headers)
    value, errors = validate(body)
    if errors:
        return problem(422, "validation_failed", "Some fields are missing or invalid; see errors.", request_id,
                       answer_headers, errors)

    http = request_context.get("http") or {}
    received = request_context.get("timeEpoch") or time.time() * 1000
    payload = {
        "input": value,
        "pathParameters": event.get("pathParameters") or {},
        "identity": {"sub": claims["sub"], "email": claims.get("email"),
                     "username": claims.get("cognito:username") or claims["sub"], "groups": groups},
        "requestMeta": {
            "requestId": request_id,
            "sourceIp": http.get("sourceIp") or "unknown",
            "userAgent": http.get("userAgent") or headers.get("user-agent"),
            "receivedAt": datetime.fromtimestamp(received / 1000, timezone.utc).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "routeKey": event.get("routeKey"),
        },
    }
    core_started = time.perf_counter()
    try:
        response = lambda_client.invoke(FunctionName=CORE_FUNCTION, InvocationType="RequestResponse",
                                        Payload=json.dumps(payload))
        answer = response["Payload"].read()
    except Exception as error:  # botocore's ClientError, timeouts, connection errors
        print(json.dumps({"level": "error", "requestId": request_id, "message": "invoke failed",
                          "error": repr(error)}))
        return problem(502, "core_failed", "The service failed while handling this request.", request_id,
                       answer_headers)
    core_ms = (time.perf_counter() - core_started) * 1000
    if "FunctionError" in response:
        result = problem(502, "core_failed", "The service failed while handling this request.", request_id,
                         answer_headers)
    else:
        try:
            result = {"statusCode": 200, "headers": {**answer_headers, "content-type": "application/json"},
                      "body": json.dumps(json.loads(answer))}
        except ValueError:
            result = problem(502, "core_bad_response", "The service answered with something that is not JSON.",
                             request_id, answer_headers)
    edge_ms = (time.perf_counter() - started) * 1000 - core_ms
    result["headers"]["server-timing"] = f"edge;dur={edge_ms:.1f}, core;dur={core_ms:.1f}"
    print(json.dumps({"level": "info", "requestId": request_id, "message": "request",
                      "route": event.get("routeKey"), "status": result["statusCode"],
                      "edgeMs": round(edge_ms, 2), "coreMs": round(core_ms, 2)}))
    return result
