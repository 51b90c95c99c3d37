"""The Python runtime of a local execution environment: a small, standard-library-only stand-in for
AWS's runtime interface client. It imports the handler's module once (the init phase), then loops on
the Lambda Runtime API (AWS_LAMBDA_RUNTIME_API): take the next event, call the handler with AWS's
context object, post the JSON result or AWS's error document. One keep-alive connection carries it.

Run with the machine's python3, whatever its version; a version other than the runtime's is named
once on stderr, not refused.
"""

import http.client
import importlib
import json
import logging
import os
import signal
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
connection = http.client.HTTPConnection(API)
current_request_id = None


def call(method, route, body=None, headers=None):
    connection.request(method, BASE + route, body=body, headers=headers or {})
    response = connection.getresponse()
    return response.status, response.headers, response.read()


def post_error(route, error):
    body = json.dumps(error).encode("utf-8")
    headers = {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": error["errorType"]}
    return call("POST", route, body, headers)


class LambdaContext:
    """AWS's context object: the names and methods the Python runtime gives a handler."""

    def __init__(self, headers):
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        client_context = headers.get("Lambda-Runtime-Client-Context")
        identity = headers.get("Lambda-Runtime-Cognito-Identity")
        self.client_context = json.loads(client_context) if client_context else None
        self.identity = json.loads(identity) if identity else None
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms", "0"))

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = current_request_id or ""
        return True


def install_logging():
    """AWS's text log format: [LEVEL]\\t<time>\\t<request id>\\t<message>."""
    handler = logging.StreamHandler(sys.stdout)
    formatter = logging.Formatter(
        "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"
    )
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


def error_document(error, error_type=None, trace=None):
    if trace is None:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename != __file__]
        trace = traceback.format_list(frames)
    return {
        "errorMessage": str(error),
        "errorType": error_type or type(error).__name__,
        "requestId": current_request_id or "",
        "stackTrace": trace,
    }


def fault(error_type, message):
    return {"errorMessage": message, "errorType": error_type, "requestId": "", "stackTrace": []}


def load_handler(handler_name):
    """AWS's rules: `module.function`, `/` in the module path for packages; the code folder first on sys.path."""
    try:
        module_name, function_name = handler_name.rsplit(".", 1)
    except ValueError as error:
        return None, fault("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler_name, error))
    module_name = module_name.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        message = "Unable to import module '%s': %s" % (module_name, error)
        return None, fault("Runtime.ImportModuleError", message)
    except SyntaxError as error:
        document = fault("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, error))
        document["stackTrace"] = ['  File "%s" Line %s\n    %s\n' % (error.filename, error.lineno, error.text)]
        return None, document
    except Exception as error:
        return None, error_document(error)
    function = getattr(module, function_name, None)
    if not callable(function):
        return None, fault("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return function, None


def warn_on_version():
    wanted = os.environ.get("AWS_EXECUTION_ENV", "").replace("AWS_Lambda_python", "")
    running = "%d.%d" % sys.version_info[:2]
    if wanted and wanted != running:
        sys.stderr.write(
            "gatehouse: this function's runtime is python%s, but the local python3 is %s; code runs on %s here\n"
            % (wanted, running, running)
        )


def main():
    global current_request_id
    sys.path.insert(0, TASK_ROOT)
    install_logging()
    warn_on_version()
    handler, init_error = load_handler(os.environ.get("_HANDLER", "lambda_function.lambda_handler"))
    if init_error:
        sys.stdout.write("[ERROR] %s: %s\n" % (init_error["errorType"], init_error["errorMessage"]))
        try:
            post_error("/init/error", init_error)
        finally:
            sys.exit(1)
    while True:
        try:
            status, headers, body = call("GET", "/invocation/next")
        except (OSError, http.client.HTTPException):
            sys.exit(0)  # the Runtime API is gone: the service has ended this environment
        if status != 200:
            # Never run the handler on an error answer (it would spin on it): end the environment,
            # as AWS's runtime client does.
            sys.stderr.write("Runtime API answered /next with %d: %s\n" % (status, body[:200].decode("utf-8", "replace")))
            sys.exit(1)
        current_request_id = headers.get("Lambda-Runtime-Aws-Request-Id")
        os.environ["_X_AMZN_TRACE_ID"] = headers.get("Lambda-Runtime-Trace-Id", "")
        try:
            result = handler(json.loads(body), LambdaContext(headers))
            try:
                payload = json.dumps(result).encode("utf-8")
            except (TypeError, ValueError) as error:
                raise MarshalError("Unable to marshal response: %s" % error) from None
            status, _, _ = call("POST", "/invocation/%s/response" % current_request_id, payload)
        except MarshalError as error:
            status, _, _ = post_error(
                "/invocation/%s/error" % current_request_id, error_document(error, "Runtime.MarshalError", [])
            )
        except Exception as error:
            document = error_document(error)
            trace = "".join(document["stackTrace"])
            sys.stdout.write("[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (document["errorType"], document["errorMessage"], trace))
            status, _, _ = post_error("/invocation/%s/error" % current_request_id, document)
        current_request_id = None
        if status >= 500:
            sys.exit(1)


class MarshalError(Exception):
    pass


if __name__ == "__main__":
    # Ctrl-C in `gatehouse dev` reaches the whole process group; the Lambda service ends this process
    # itself (as Lambda does), so a KeyboardInterrupt traceback per environment is only noise.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    main()
