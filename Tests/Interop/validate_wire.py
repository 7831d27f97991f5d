#!/usr/bin/env python3
"""Validates every line the server wrote against the MCP schema of its era.

    validate_wire.py DIR...

DIR holds transcripts ({"dir": "in"|"out", "line": ...} per line) from the Swift
end-to-end suite, the Python interop suite and the fuzzer. For each output line:

- it must be JSON and a JSON-RPC message of the schema (JSONRPCMessage);
- a response is matched to its request by id; the request's `_meta` protocol version
  picks the schema (2026-07-28 for modern requests, 2025-11-25 otherwise), and the result
  is validated against the result type of the method (InitializeResult, ListToolsResult,
  CallToolResult, DiscoverResult, ListPromptsResult, GetPromptResult, …), errors against the revision's error types;
- every tool's inputSchema must itself be a valid JSON Schema 2020-12;
- notifications are validated against the ServerNotification of both revisions.

One allowance, documented: JSON-RPC 2.0 requires `"id": null` on an error for a request
whose id could not be read (and the MCP SDKs expect it), while the MCP schema types `id`
as string|integer; such errors are validated with the null id removed.
"""
import json
import os
import sys

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

HERE = os.path.dirname(os.path.abspath(__file__))
LEGACY, MODERN = "2025-11-25", "2026-07-28"
RESULT_TYPES = {
    LEGACY: {"initialize": "InitializeResult", "ping": "EmptyResult", "tools/list": "ListToolsResult", "tools/call": "CallToolResult",
             "logging/setLevel": "EmptyResult", "server/discover": "Result",
             "prompts/list": "ListPromptsResult", "prompts/get": "GetPromptResult"},
    MODERN: {"ping": "Result", "tools/list": "ListToolsResult", "tools/call": "CallToolResult", "server/discover": "DiscoverResult",
             "prompts/list": "ListPromptsResult", "prompts/get": "GetPromptResult"},
}


class Schemas:
    def __init__(self) -> None:
        self.documents = {}
        self.validators = {}
        for revision in (LEGACY, MODERN):
            with open(os.path.join(HERE, "schemas", f"{revision}.json"), encoding="utf-8") as handle:
                self.documents[revision] = json.load(handle)

    def validator(self, revision: str, definition: str) -> Draft202012Validator:
        key = (revision, definition)
        if key not in self.validators:
            document = self.documents[revision]
            uri = f"urn:mcp:{revision}"
            registry = Registry().with_resource(uri, Resource.from_contents(document))
            schema = {"$schema": document["$schema"], "$ref": f"{uri}#/$defs/{definition}"}
            self.validators[key] = Draft202012Validator(schema, registry=registry)
        return self.validators[key]

    def errors(self, revision: str, definition: str, value) -> list[str]:
        if definition not in self.documents[revision]["$defs"]:
            return [f"{revision} has no definition {definition}"]
        return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message[:200]}" for error in self.validator(revision, definition).iter_errors(value)]


def request_revision(message: dict) -> str:
    # `initialize` always selects the legacy era (2026-07-28, versioning: "An initialize
    # request selects legacy semantics"), whatever its _meta says.
    if message.get("method") == "initialize":
        return LEGACY
    params = message.get("params")
    meta = params.get("_meta") if isinstance(params, dict) else None
    version = meta.get("io.modelcontextprotocol/protocolVersion") if isinstance(meta, dict) else None
    return MODERN if isinstance(version, str) else LEGACY


def validate_transcript(path: str, schemas: Schemas, stats: dict) -> list[str]:
    problems = []
    pending: dict = {}
    tokens: dict = {}
    with open(path, encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    for number, record in enumerate(records, 1):
        where = f"{os.path.basename(path)}:{number}"
        if record["dir"] == "in":
            try:
                message = json.loads(record["line"])
            except (ValueError, RecursionError):
                continue
            if isinstance(message, dict) and isinstance(message.get("method"), str) and "id" in message:
                key = json.dumps(message["id"])
                pending.setdefault(key, []).append(message)
                params = message.get("params")
                meta = params.get("_meta") if isinstance(params, dict) else None
                token = meta.get("progressToken") if isinstance(meta, dict) else None
                if token is not None:
                    tokens[json.dumps(token)] = request_revision(message)
            continue
        stats["lines"] += 1
        try:
            message = json.loads(record["line"])
        except (ValueError, RecursionError):
            problems.append(f"{where}: not JSON: {record['line'][:120]}")
            continue
        if not isinstance(message, dict):
            problems.append(f"{where}: not an object")
            continue
        if "method" in message and "id" in message:
            # The server's only request: elicitation/create, asking the user before a big call
            # (2025-11-25 sessions only; 2026-07-28 asks through input_required instead).
            if message["method"] != "elicitation/create":
                problems.append(f"{where}: server request {message['method']}")
            for error in schemas.errors(LEGACY, "ElicitRequest", message) + schemas.errors(LEGACY, "JSONRPCRequest", message):
                problems.append(f"{where} [{LEGACY} server request]: {error}")
            continue
        if "method" in message:
            stats["notifications"] += 1
            revisions = (LEGACY, MODERN)
            if message["method"] == "notifications/progress":
                token = json.dumps((message.get("params") or {}).get("progressToken"))
                revisions = (tokens.get(token, LEGACY),)
            for revision in revisions:
                for error in schemas.errors(revision, "ServerNotification", message) + schemas.errors(revision, "JSONRPCNotification", message):
                    problems.append(f"{where} [{revision} notification]: {error}")
            continue
        key = json.dumps(message.get("id"))
        requests = pending.get(key) or []
        request = requests.pop(0) if requests else None
        revision = request_revision(request) if request else LEGACY
        stats[revision] += 1
        if "error" in message:
            stats["errors"] += 1
            checked = dict(message)
            if checked.get("id") is None:
                checked.pop("id", None)  # the documented allowance
            for error in schemas.errors(revision, "JSONRPCErrorResponse", checked):
                problems.append(f"{where} [{revision} error]: {error}")
            if revision == MODERN and message["error"].get("code") == -32022:
                for error in schemas.errors(MODERN, "UnsupportedProtocolVersionError", checked):
                    problems.append(f"{where} [-32022]: {error}")
            continue
        for error in schemas.errors(revision, "JSONRPCResultResponse", message):
            problems.append(f"{where} [{revision} response]: {error}")
        method = request.get("method") if request else None
        definition = RESULT_TYPES[revision].get(method) if method else None
        if revision == MODERN and method == "tools/call" and message.get("result", {}).get("resultType") == "input_required":
            # A big call asking the user first (MRTR): the client retries with the answer.
            definition = "InputRequiredResult"
            for error in schemas.errors(MODERN, definition, message.get("result")):
                problems.append(f"{where} [{MODERN} {definition}]: {error}")
            continue
        if definition:
            stats["typed_results"] += 1
            for error in schemas.errors(revision, definition, message.get("result")):
                problems.append(f"{where} [{revision} {definition}]: {error}")
        if revision == MODERN and message.get("result", {}).get("resultType") != "complete":
            problems.append(f"{where}: modern result without resultType complete")
        if method == "tools/list":
            for tool in message["result"].get("tools", []):
                stats["tool_schemas"] += 1
                try:
                    Draft202012Validator.check_schema(tool.get("inputSchema", {}))
                except Exception as error:  # noqa: BLE001 - any schema error is a problem
                    problems.append(f"{where}: inputSchema of {tool.get('name')} is not valid JSON Schema: {error}")
    return problems


def main(directories: list[str]) -> int:
    schemas = Schemas()
    stats = {"files": 0, "lines": 0, LEGACY: 0, MODERN: 0, "errors": 0, "notifications": 0, "typed_results": 0, "tool_schemas": 0}
    problems = []
    for directory in directories:
        for name in sorted(os.listdir(directory)):
            if name.endswith(".jsonl"):
                stats["files"] += 1
                problems += validate_transcript(os.path.join(directory, name), schemas, stats)
    for problem in problems[:50]:
        print(problem)
    print(
        f"wire: {stats['lines']} server lines in {stats['files']} transcripts; responses: {stats[LEGACY]} legacy ({LEGACY}), "
        f"{stats[MODERN]} modern ({MODERN}), {stats['errors']} errors; {stats['typed_results']} results checked against their "
        f"method's type; {stats['notifications']} notifications; {stats['tool_schemas']} tool inputSchemas; {len(problems)} problem(s)"
    )
    if stats["lines"] == 0:
        print("wire: nothing was recorded")
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["."]))
