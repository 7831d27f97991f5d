#!/usr/bin/env python3
"""Agent frameworks nobody here wrote, wired to the built binary as their users wire them.

For each framework (the OpenAI Agents SDK, LangChain's MCP adapters, google-genai and
pydantic-ai), over stdio and in sandbox mode (SOCIAL_DATA_MCP_SANDBOX=1: no network, no
keys), through the framework's own MCP client:

- convert EVERY tool to the framework's strict or model-specific format, and check that
  no conversion fails (only the free-form tikomni_call_route may stay non-strict) and
  that no parameter, enum value or description is lost on the way;
- call a free tool, a paid tool, tikomni_douyin_author_diagnosis and social_data_read_result
  (a saved 100-item result planted in the state folder) with only what the
  strict schema forces: every property present, the optional ones empty ("" for a
  string or an enum that lists it, [] for a list, null otherwise). No error, no secret;
- record what the model receives for the paid call (text or structured, and its bytes).

No model is called: nothing leaves the machine.

    frameworks.py [--results FILE]

Runs in its own virtualenv (Tests/Interop/requirements-frameworks.txt: langchain-mcp-adapters
needs mcp < 2, the official-SDK suite pins mcp 2.x). Exits non-zero on any failed check.
"""
import argparse
import asyncio
import copy
import json
import os
import sys
import tempfile

from standin import binary

FREE_CALL = ("datanexus_list_platforms", {})
PAID_CALL = ("datanexus_list_authors", {"platform": "xiaohongshu"})
DIAGNOSIS = ("tikomni_douyin_author_diagnosis", {})
READ_CALL = ("social_data_read_result", {"result": "1700000000000-datanexus_list_works-c0ffee.json"})
NON_STRICT = {"tikomni_call_route"}
# The Agents SDK will not close `"properties": {}` itself, and the schema cannot say
# `additionalProperties: false` (google-genai's MCP conversion crashes on it), so every tool has
# at least one property (social_data_usage: `tool`) and converts strictly.
AGENTS_NON_STRICT = NON_STRICT
FAILURES: list[str] = []
RESULTS: dict[str, dict] = {}


def check(condition: bool, what: str) -> None:
    print(("  ok   " if condition else "  FAIL ") + what)
    if not condition:
        FAILURES.append(what)


def server_environment() -> dict:
    """Sandbox mode, no keys, a state folder of its own holding one saved 100-item result."""
    state = tempfile.mkdtemp(prefix="social-data-mcp-frameworks-")
    results = os.path.join(state, "results")
    os.mkdir(results, 0o700)
    items = [{"id": f"w{index}", "title": "秋冬护肤", "desc": "成分党干货分享," * 100} for index in range(100)]
    path = os.path.join(results, READ_CALL[1]["result"])
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as handle:
        json.dump({"items": items, "total": 100}, handle, ensure_ascii=False)
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "SOCIAL_DATA_MCP_SANDBOX": "1",
        "SOCIAL_DATA_MCP_STATE_DIR": state,
    }


def read_page(framework: str, text: str) -> None:
    """The saved result's first page came back through the framework's own call."""
    check("w0" in text and "w1" in text and "next_offset" in text, f"{framework}: social_data_read_result returns a page")


# What the server declares, read through the official SDK's models (mcp < 2 here).


def declared(tools) -> dict:
    """name -> inputSchema, from MCP Tool objects (pydantic) or dicts."""
    out = {}
    for tool in tools:
        schema = getattr(tool, "inputSchema", None) or getattr(tool, "input_schema", None) or {}
        out[tool.name] = {"schema": schema, "description": tool.description or ""}
    return out


def walk_properties(schema: dict) -> dict:
    """name -> property schema, with anyOf/nullable wrappers unwrapped."""
    return dict((schema or {}).get("properties") or {})


def enum_values(prop: dict) -> list:
    values = []
    for node in [prop, prop.get("items") or {}] + list(prop.get("anyOf") or []):
        if isinstance(node, dict):
            values += [v for v in node.get("enum") or [] if v is not None]
            if isinstance(node.get("items"), dict):
                values += [v for v in node["items"].get("enum") or [] if v is not None]
    return values


def description_of(prop: dict) -> str:
    text = prop.get("description") or ""
    for node in prop.get("anyOf") or []:
        if isinstance(node, dict) and node.get("description"):
            text += " " + node["description"]
    return text


def compare(framework: str, name: str, original: dict, converted: dict) -> None:
    """No parameter, enum value or description of `original` is missing in `converted`."""
    before, after = walk_properties(original), walk_properties(converted)
    lost = sorted(set(before) - set(after))
    check(not lost, f"{framework}: {name} keeps every parameter{' (lost ' + ', '.join(lost) + ')' if lost else ''}")
    for key, prop in before.items():
        if key not in after:
            continue
        lost_values = [v for v in enum_values(prop) if str(v) not in [str(x) for x in enum_values(after[key])]]
        if lost_values:
            check(False, f"{framework}: {name}.{key} keeps its enum (lost {lost_values})")
        words = prop.get("description") or ""
        if words and words not in description_of(after[key]):
            check(False, f"{framework}: {name}.{key} keeps its description")


def forced_arguments(schema: dict, given: dict) -> dict:
    """Every property of a strict schema present: `given`, else the empty value."""
    arguments = {}
    for key, prop in walk_properties(schema).items():
        if key in given:
            arguments[key] = given[key]
            continue
        types = prop.get("type")
        types = types if isinstance(types, list) else [types]
        values = enum_values(prop)
        if "array" in types:
            arguments[key] = []
        elif values and "" in values:
            arguments[key] = ""
        elif "string" in types and not values:
            arguments[key] = ""
        else:
            arguments[key] = None
    return arguments


def forced_for_diagnosis(framework: str, arguments: dict) -> None:
    """The strict schema forced the cookie, and the call sends it empty: no secret."""
    check(arguments.get("cookie") == "", f"{framework}: the diagnosis is called with cookie \"\" (forced, empty)")


def record(framework: str, kind: str, received: str, note: str) -> None:
    data = received.encode("utf-8")
    RESULTS.setdefault(framework, {})["paid_call"] = {
        "tool": PAID_CALL[0],
        "model_receives": kind,
        "bytes": len(data),
        "note": note,
    }


def no_secret(framework: str, text: str) -> None:
    check("sandbox-no-key-needed" not in text, f"{framework}: no key or cookie placeholder reaches the model")


# The OpenAI Agents SDK: MCPServerStdio, MCPUtil.to_function_tool(convert_schemas_to_strict=True)
# (ensure_strict_json_schema), and the tool invoked as a model's tool call would be.


async def openai_agents() -> None:
    from agents import Agent, RunContextWrapper
    from agents.mcp import MCPServerStdio, MCPUtil
    from agents.strict_schema import ensure_strict_json_schema
    from agents.tool_context import ToolContext

    framework = "openai-agents"
    print(f"\n== {framework}")
    for structured in (True, False):
        params = {"command": binary("social-data-mcp"), "args": [], "env": server_environment()}
        async with MCPServerStdio(params=params, use_structured_content=structured, cache_tools_list=True) as server:
            tools = await server.list_tools()
            agent = Agent(name="interop", mcp_servers=[server])
            functions = {}
            for tool in tools:
                function = MCPUtil.to_function_tool(tool, server, convert_schemas_to_strict=True, agent=agent)
                functions[tool.name] = (tool, function)
            if structured:
                schemas = declared(tools)
                RESULTS.setdefault(framework, {})["tools"] = len(tools)
                strict = [n for n, (_, f) in functions.items() if f.strict_json_schema]
                RESULTS[framework]["strict_tools"] = len(strict)
                for name, (tool, function) in functions.items():
                    check(function.strict_json_schema or name in AGENTS_NON_STRICT, f"{framework}: {name} is strict")
                    if name not in AGENTS_NON_STRICT:
                        # The same conversion, called directly, must not raise either.
                        ensure_strict_json_schema(copy.deepcopy(schemas[name]["schema"]))
                    compare(framework, name, schemas[name]["schema"], function.params_json_schema)
            context = RunContextWrapper(context=None)
            for name, given in (FREE_CALL, PAID_CALL, DIAGNOSIS, READ_CALL):
                tool, function = functions[name]
                arguments = forced_arguments(function.params_json_schema, given)
                if name == DIAGNOSIS[0]:
                    forced_for_diagnosis(framework, arguments)
                output = await MCPUtil.invoke_mcp_tool(server, tool, context, json.dumps(arguments))
                text = output if isinstance(output, str) else json.dumps(output, ensure_ascii=False)
                check("error" not in text.lower()[:200] or name == DIAGNOSIS[0], f"{framework} ({'structured' if structured else 'text'}): {name} answers")
                no_secret(framework, text)
                if name == PAID_CALL[0]:
                    if structured:
                        check(text.startswith("{") and "billing" in text, f"{framework}: structured content reaches the model")
                        check(len(text.encode()) <= 60_000, f"{framework}: structured as json.dumps writes it ({len(text.encode())} bytes) within 60,000")
                        record(framework, "structured (json.dumps, non-ASCII escaped)", text, "use_structured_content=True")
                    else:
                        RESULTS[framework]["paid_call_text_mode"] = {"model_receives": "text", "bytes": len(output.get("text", "").encode()) if isinstance(output, dict) else len(text.encode())}
                if name == DIAGNOSIS[0]:
                    check("AuthorRank" in text, f"{framework}: the diagnosis reads, with only what strict mode forces ({'structured' if structured else 'text'})")
                if name == READ_CALL[0]:
                    read_page(framework, text)


# The catalog profile (--profile catalog) in the Agents SDK: four tools, the free-form caller
# (its `arguments` is the called tool's object) the only non-strict one, and a paid call made
# through it answers as the direct call does.


async def openai_agents_catalog() -> None:
    from agents import Agent, RunContextWrapper
    from agents.mcp import MCPServerStdio, MCPUtil

    framework = "openai-agents (catalog profile)"
    print(f"\n== {framework}")
    params = {"command": binary("social-data-mcp"), "args": ["--profile", "catalog"], "env": server_environment()}
    async with MCPServerStdio(params=params, use_structured_content=True) as server:
        tools = await server.list_tools()
        agent = Agent(name="interop", mcp_servers=[server])
        functions = {tool.name: (tool, MCPUtil.to_function_tool(tool, server, convert_schemas_to_strict=True, agent=agent)) for tool in tools}
        listed = json.dumps([tool.model_dump(mode="json", exclude_none=True) for tool in tools], separators=(",", ":"), ensure_ascii=False)
        RESULTS.setdefault(framework, {})["tools"] = len(tools)
        RESULTS[framework]["tools_list_bytes"] = len(listed.encode())
        check(len(tools) == 4 and len(listed.encode()) <= 4000, f"{framework}: 4 tools within 4,000 bytes ({len(listed.encode())})")
        RESULTS[framework]["strict_tools"] = sorted(name for name, (_, f) in functions.items() if f.strict_json_schema)
        for name, (_, function) in functions.items():
            check(function.strict_json_schema or name == "social_data_call_tool", f"{framework}: {name} is strict")
        context = RunContextWrapper(context=None)
        tool, function = functions["social_data_find_tools"]
        found = await MCPUtil.invoke_mcp_tool(server, tool, context, json.dumps(forced_arguments(function.params_json_schema, {"query": "小红书 博主"})))
        check(PAID_CALL[0] in str(found), f"{framework}: finding 小红书 博主 names {PAID_CALL[0]}")
        tool, function = functions["social_data_call_tool"]
        output = await MCPUtil.invoke_mcp_tool(server, tool, context, json.dumps({"name": PAID_CALL[0], "arguments": PAID_CALL[1]}))
        text = output if isinstance(output, str) else json.dumps(output, ensure_ascii=False)
        check(text.startswith("{") and "billing" in text and "sample" in text.lower(), f"{framework}: the paid call through the catalog answers")
        record(framework, "structured (json.dumps, non-ASCII escaped), through social_data_call_tool", text, "use_structured_content=True")


# LangChain: MultiServerMCPClient.get_tools() and convert_to_openai_tool(strict=True).


async def langchain() -> None:
    from langchain_core.utils.function_calling import convert_to_openai_tool
    from langchain_mcp_adapters.client import MultiServerMCPClient

    framework = "langchain-mcp-adapters"
    print(f"\n== {framework}")
    client = MultiServerMCPClient(
        {"social": {"command": binary("social-data-mcp"), "args": [], "env": server_environment(), "transport": "stdio"}}
    )
    tools = await client.get_tools()
    RESULTS.setdefault(framework, {})["tools"] = len(tools)
    converted = {}
    for tool in tools:
        try:
            function = convert_to_openai_tool(tool, strict=True)["function"]
        except Exception as error:  # a failed conversion is the finding
            check(False, f"{framework}: {tool.name} converts ({error})")
            continue
        converted[tool.name] = (tool, function)
        original = tool.args_schema if isinstance(tool.args_schema, dict) else tool.args_schema.model_json_schema()
        compare(framework, tool.name, original, function["parameters"])
        params = function["parameters"]
        check(params.get("additionalProperties") is False and set(params.get("required", [])) == set(walk_properties(params)) or tool.name in NON_STRICT or not walk_properties(params), f"{framework}: {tool.name} is strict")
    RESULTS[framework]["strict_functions"] = len(converted)
    for name, given in (FREE_CALL, PAID_CALL, DIAGNOSIS, READ_CALL):
        tool, function = converted[name]
        arguments = forced_arguments(function["parameters"], given)
        if name == DIAGNOSIS[0]:
            forced_for_diagnosis(framework, arguments)
        message = await tool.ainvoke({"type": "tool_call", "id": "call-1", "name": name, "args": arguments})
        content = message.content
        text = content if isinstance(content, str) else "".join(block.get("text", "") if isinstance(block, dict) else str(block) for block in content)
        check(getattr(message, "status", "success") != "error" and "Error" not in text[:40], f"{framework}: {name} answers")
        no_secret(framework, text)
        if name == PAID_CALL[0]:
            record(framework, "text (ToolMessage content)", text, "structuredContent goes to the artifact, not the model")
        if name == DIAGNOSIS[0]:
            check("AuthorRank" in text, f"{framework}: the diagnosis reads, with only what strict mode forces")
        if name == READ_CALL[0]:
            read_page(framework, text)


# google-genai: the MCP tools as Gemini FunctionDeclarations, exactly as google-genai's own MCP
# support builds them (types.Schema.from_json_schema), over an official-SDK session.


async def google_genai() -> None:
    from google.genai import _mcp_utils, types
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    framework = "google-genai"
    print(f"\n== {framework}")
    server = StdioServerParameters(command=binary("social-data-mcp"), args=[], env=server_environment())
    async with stdio_client(server) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        listed = (await session.list_tools()).tools
        RESULTS.setdefault(framework, {})["tools"] = len(listed)
        declarations = {}
        for tool in listed:
            try:
                gemini = _mcp_utils.mcp_to_gemini_tool(tool)
                declaration = gemini.function_declarations[0]
                # The request body a model call would send: it must serialize.
                json.dumps(types.Tool(function_declarations=[declaration]).model_dump(mode="json", exclude_none=True))
            except Exception as error:
                check(False, f"{framework}: {tool.name} converts ({error})")
                continue
            declarations[tool.name] = declaration
            schema = declaration.parameters.model_dump(mode="json", exclude_none=True) if declaration.parameters else {}
            compare(framework, tool.name, tool.inputSchema, lower_keys(schema))
        check(len(declarations) == len(listed), f"{framework}: every tool is a FunctionDeclaration ({len(declarations)}/{len(listed)})")
        RESULTS[framework]["function_declarations"] = len(declarations)
        for name, given in (FREE_CALL, PAID_CALL, DIAGNOSIS, READ_CALL):
            schema = lower_keys(declarations[name].parameters.model_dump(mode="json", exclude_none=True))
            arguments = forced_arguments(schema, given)
            if name == DIAGNOSIS[0]:
                forced_for_diagnosis(framework, arguments)
            # google-genai's adapter calls session.call_tool and hands the model result.model_dump().
            result = await session.call_tool(name, arguments)
            dumped = {"result": result.model_dump(mode="json", exclude_none=True)}
            text = json.dumps(dumped, ensure_ascii=False)
            check(not result.isError, f"{framework}: {name} answers")
            no_secret(framework, text)
            if name == PAID_CALL[0]:
                record(framework, "structured and text (the whole CallToolResult as a FunctionResponse)", text, "json, UTF-8")
            if name == DIAGNOSIS[0]:
                check("AuthorRank" in text, f"{framework}: the diagnosis reads")
            if name == READ_CALL[0]:
                read_page(framework, text)


def lower_keys(schema: dict) -> dict:
    """Gemini's Schema in JSON Schema's words, for comparison (types are upper case there)."""
    if isinstance(schema, list):
        return [lower_keys(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key == "type" and isinstance(value, str):
            out[key] = value.lower()
        elif key == "any_of":
            out["anyOf"] = lower_keys(value)
        else:
            out[key] = lower_keys(value)
    return out


# pydantic-ai: MCPToolset over a stdio transport, and each tool's schema through the OpenAI
# (strict) and Google JSON-schema transformers its model profiles apply.


async def pydantic_ai() -> None:
    from fastmcp.client.transports import StdioTransport
    from pydantic_ai.mcp import MCPToolset
    from pydantic_ai.profiles.google import GoogleJsonSchemaTransformer
    from pydantic_ai.profiles.openai import OpenAIJsonSchemaTransformer

    framework = "pydantic-ai"
    print(f"\n== {framework}")
    transport = StdioTransport(command=binary("social-data-mcp"), args=[], env=server_environment())
    toolset = MCPToolset(transport, id="social", tool_error_behavior="error")
    async with toolset:
        tools = await toolset.list_tools()
        RESULTS.setdefault(framework, {})["tools"] = len(tools)
        strict_count = 0
        strict_schemas = {}
        for tool in tools:
            original = tool.inputSchema
            try:
                transformer = OpenAIJsonSchemaTransformer(copy.deepcopy(original), strict=True)
                strict_schema = transformer.walk()
                google_schema = GoogleJsonSchemaTransformer(copy.deepcopy(original)).walk()
            except Exception as error:  # a failed conversion is the finding
                check(False, f"{framework}: {tool.name} converts ({error})")
                continue
            is_strict = transformer.is_strict_compatible
            strict_count += is_strict
            # The free-form route tool may go either way (pydantic-ai closes its objects).
            check(is_strict or tool.name in NON_STRICT, f"{framework}: {tool.name} is strict-compatible")
            compare(framework + " (openai strict)", tool.name, original, strict_schema)
            compare(framework + " (google)", tool.name, original, google_schema)
            strict_schemas[tool.name] = strict_schema
        RESULTS[framework]["strict_tools"] = strict_count
        for name, given in (FREE_CALL, PAID_CALL, DIAGNOSIS, READ_CALL):
            arguments = forced_arguments(strict_schemas[name], given)
            if name == DIAGNOSIS[0]:
                forced_for_diagnosis(framework, arguments)
            result = await toolset.direct_call_tool(name, arguments)
            text = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False, default=str)
            check(bool(text), f"{framework}: {name} answers")
            no_secret(framework, text)
            if name == PAID_CALL[0]:
                kind = "structured (structuredContent, as JSON)" if isinstance(result, dict) else "text"
                record(framework, kind, text, "what direct_call_tool hands the agent")
            if name == DIAGNOSIS[0]:
                check("AuthorRank" in text or "author_rank" in text, f"{framework}: the diagnosis reads")
            if name == READ_CALL[0]:
                read_page(framework, text)


FRAMEWORKS = [openai_agents, openai_agents_catalog, langchain, google_genai, pydantic_ai]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", help="write the per-framework results here (JSON)")
    options = parser.parse_args()
    for framework in FRAMEWORKS:
        try:
            await framework()
        except Exception as error:  # one framework's crash is a failure, the others still run
            check(False, f"{framework.__name__} ran ({type(error).__name__}: {error})")
    print("\n== what the model receives for a paid call (" + PAID_CALL[0] + ")")
    print(json.dumps(RESULTS, indent=2, ensure_ascii=False))
    if options.results:
        with open(options.results, "w", encoding="utf-8") as handle:
            json.dump(RESULTS, handle, indent=2, ensure_ascii=False)
    if FAILURES:
        print(f"\n{len(FAILURES)} checks failed")
        sys.exit(1)
    print("\nall framework checks passed")


if __name__ == "__main__":
    asyncio.run(main())
