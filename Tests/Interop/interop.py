#!/usr/bin/env python3
"""Drives the built social-data-mcp binary with the official MCP Python SDK (`mcp` on PyPI).

Three client modes, as the SDK offers them: `auto` (probes server/discover, the modern
2026-07-28 era), `2026-07-28` pinned, and `legacy` (initialize handshake). In each, the
client lists the tools, calls every DataNexus tool and one tool of every other provider
against the loopback stand-in, checks an argument error, progress and cancellation, and
lists and gets every prompt.
Then it times connecting in each mode.

    interop.py [--wire-dir DIR] [--connects N] [--results FILE]

Every session runs through wire_tee.py, so DIR ends up holding the wire for
validate_wire.py. Exits non-zero on the first failed check.
"""
import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import anyio
from mcp import Client, StdioServerParameters, types
from mcp.shared.exceptions import MCPError

from standin import KEYS, StandIn, binary, server_environment

HERE = os.path.dirname(os.path.abspath(__file__))
MODES = ["auto", "2026-07-28", "legacy"]
FAILURES: list[str] = []


def check(condition: bool, what: str) -> None:
    print(("  ok   " if condition else "  FAIL ") + what)
    if not condition:
        FAILURES.append(what)


def parameters(stand_in: StandIn, wire: str | None, **extra: str) -> StdioServerParameters:
    server = binary("social-data-mcp")
    environment = server_environment(stand_in, **extra)
    if wire is None:
        return StdioServerParameters(command=server, args=[], env=environment)
    return StdioServerParameters(command=sys.executable, args=[os.path.join(HERE, "wire_tee.py"), wire, "--", server], env=environment)


DATANEXUS_CALLS = [
    ("datanexus_list_authors", {"platform": "xiaohongshu", "keyword": "美妆", "page_size": 5}),
    ("datanexus_get_author", {"platform": "xiaohongshu", "id": "506931231"}),
    ("datanexus_list_works", {"platform": "douyin", "keyword": "美食", "page_size": 3}),
    ("datanexus_get_work", {"platform": "kuaishou", "id": "w1"}),
    ("datanexus_generate_image", {"prompt": "一只在沙滩上的橘猫", "response_format": "b64_json"}),
    ("datanexus_list_platforms", {}),
    ("datanexus_get_pricing", {"platform": "douyin"}),
    ("datanexus_get_catalog", {}),
]

OTHER_CALLS = [
    ("geo_brand_trend", {"brand_id": "f6c5f69c-1234-4abc-9d77-2b1c0c5fdc8a", "days": 7}),
    ("tikomni_douyin_author_diagnosis", {}),
    ("creativault_search_creators", {"platform": "tiktok", "keyword": "beauty", "size": 5}),
    ("datatrust_get_model", {"id": "123"}),
    ("social_data_usage", {}),
]


# A value for every required prompt argument of the table, checked to come back in the text.
PROMPT_ARGUMENTS = {"brand": "示例品牌", "creator": "@interop_creator", "keywords": "防晒"}


async def session(mode: str, stand_in: StandIn, wire_dir: str, expected_tools: list[str], expected_prompts: list[str]) -> None:
    print(f"mode {mode}:")
    wire = os.path.join(wire_dir, f"python-{mode}.jsonl")
    async with Client(parameters(stand_in, wire), mode=mode, read_timeout_seconds=30) as client:
        expected_version = "2025-11-25" if mode == "legacy" else "2026-07-28"
        check(client.protocol_version == expected_version, f"negotiated {client.protocol_version}")
        if mode != "2026-07-28":
            # A pinned client skips server/discover, so it never sees the instructions.
            check("dry_run" in (client.instructions or ""), "instructions explain dry_run and prices")
        listed = await client.list_tools()
        names = [tool.name for tool in listed.tools]
        check(names == expected_tools, f"tools/list has the {len(expected_tools)} tools of the table, in order")
        for name, arguments in DATANEXUS_CALLS + OTHER_CALLS:
            result = await client.call_tool(name, arguments)
            text = result.content[0].text if result.content else ""
            check(not result.is_error and "Cost:" in text and "billing" in (result.structured_content or {}), f"{name} succeeds and states its cost")
            if name == "datanexus_generate_image":
                check(any(block.type == "image" for block in result.content), "b64_json comes back as an image block")
        bad = await client.call_tool("datanexus_get_author", {"platform": "weibo", "id": "1"})
        check(bad.is_error and "'platform' must be one of" in bad.content[0].text, "argument error is an isError result naming the argument")
        try:
            await client.call_tool("no_such_tool", {})
            check(False, "unknown tool is a protocol error")
        except MCPError as error:
            check(error.error.code == -32602, f"unknown tool is -32602 ({error.error.code})")
        progress: list[tuple[float, float | None]] = []

        async def on_progress(value: float, total: float | None, message: str | None) -> None:
            progress.append((value, total))

        status = await client.call_tool("creativault_get_task_status", {"task_id": f"task_interop_{mode}", "wait_seconds": 20}, progress_callback=on_progress)
        check(status.structured_content["data"]["status"] == "completed", "waiting for a task ends when it completes")
        check(len(progress) >= 3 and progress == sorted(progress), f"progress notifications arrive in order ({progress})")
        # A call the client gives up on is cancelled; the server keeps serving.
        with anyio.move_on_after(1.0):
            await client.call_tool("creativault_get_task_status", {"task_id": "task_forever_interop", "wait_seconds": 30})
        after = await client.call_tool("social_data_usage", {})
        check(not after.is_error, "the server answers after a cancelled call")
        await prompts(client, expected_prompts)


BIG_CALL = ("datanexus_list_authors", {"platform": "xiaohongshu", "keyword": "美妆", "page_size": 100})
# A price the provider reports afterwards: the worst case asked about is the ledger's reserve,
# DataTrust's documented ¥3.00 for a full model, above a ¥2 threshold.
PROVIDER_PRICED_CALL = ("datatrust_get_model", {"id": "1"})
APPROVAL_CASES = [
    (BIG_CALL, {}, ["¥8.00"]),
    (PROVIDER_PRICED_CALL, {"SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "2"}, ["¥3.00", "documented"]),
]


async def approvals(mode: str, stand_in: StandIn, wire_dir: str) -> None:
    """A call above the ask-first threshold with an elicitation callback: the user is asked
    (elicitation/create in legacy, input_required in auto); accept sends one request, decline
    and cancel send and spend nothing, and the ledger (`usage`) agrees with social_data_usage.
    Both a per-item quote and a provider-priced tool's reserve ask."""
    print(f"approvals {mode}:")
    for call, extra, quoted in APPROVAL_CASES:
        for action in ["decline", "cancel", "accept"]:
            await approval(mode, stand_in, wire_dir, call, extra, quoted, action)


async def approval(mode: str, stand_in: StandIn, wire_dir: str, call: tuple, extra: dict, quoted: list[str], action: str) -> None:
    name = call[0]
    asked: list[str] = []

    async def on_elicit(context, params):
        asked.append(params.message)
        return types.ElicitResult(action=action, content={} if action == "accept" else None)

    environment = {"SOCIAL_DATA_MCP_CACHE_TTL": "0", **extra}
    wire = os.path.join(wire_dir, f"python-approvals-{mode}-{name}-{action}.jsonl")
    server = parameters(stand_in, wire, **environment)
    state = server.env["SOCIAL_DATA_MCP_STATE_DIR"]
    async with Client(server, mode=mode, read_timeout_seconds=30, elicitation_callback=on_elicit) as client:
        result = await client.call_tool(*call)
        text = result.content[0].text if result.content else ""
        check(len(asked) == 1 and name in asked[0] and all(word in asked[0] for word in quoted), f"{name} {action}: the user is asked once, naming the tool and the worst case ({quoted})")
        usage = (await client.call_tool("social_data_usage", {})).structured_content["data"]
    ledger = subprocess.run([binary("social-data-mcp"), "usage", "--days", "1", "--format", "json"], capture_output=True, text=True, env={"PATH": os.environ["PATH"], "SOCIAL_DATA_MCP_STATE_DIR": state})
    spent_ledger = json.loads(ledger.stdout)["days"][-1]["spent_cny"] if ledger.returncode == 0 else None
    if action == "accept":
        check(not result.is_error and usage["overall"]["calls"] == 1, f"{name} accept: the call proceeds, one upstream request ({usage['overall']['calls']})")
        check(spent_ledger == usage["overall"]["spent_cny"] > 0, f"{name} accept: the ledger and usage agree ({spent_ledger} vs {usage['overall']['spent_cny']})")
    else:
        check(result.is_error and "did not approve" in text, f"{name} {action}: an isError result saying the user did not approve")
        check(usage["overall"]["calls"] == 0 and usage["overall"]["spent_cny"] == 0 and spent_ledger == 0, f"{name} {action}: nothing sent or spent (usage and ledger: {spent_ledger})")


async def prompts(client: Client, expected_prompts: list[str]) -> None:
    """Lists and gets every prompt; a missing required argument and an unknown prompt are -32602."""
    listed = await client.list_prompts()
    check([prompt.name for prompt in listed.prompts] == expected_prompts, f"prompts/list has the {len(expected_prompts)} prompts of the table, in order")
    for prompt in listed.prompts:
        arguments = {argument.name: PROMPT_ARGUMENTS[argument.name] for argument in prompt.arguments or [] if argument.required}
        result = await client.get_prompt(prompt.name, arguments)
        text = result.messages[0].content.text if result.messages else ""
        check(result.messages[0].role == "user" and "call " in text.lower() and all(value in text for value in arguments.values()), f"prompts/get {prompt.name} tells which tools to call, with its arguments filled in")
        required = [argument.name for argument in prompt.arguments or [] if argument.required]
        if required:
            try:
                await client.get_prompt(prompt.name, {})
                check(False, f"{prompt.name} without {required} is a protocol error")
            except MCPError as error:
                check(error.error.code == -32602, f"{prompt.name} without {required} is -32602 ({error.error.code})")
    try:
        await client.get_prompt("no_such_prompt", {})
        check(False, "an unknown prompt is a protocol error")
    except MCPError as error:
        check(error.error.code == -32602, f"an unknown prompt is -32602 ({error.error.code})")


async def connect_once(mode: str, stand_in: StandIn) -> float:
    started = time.perf_counter()
    async with Client(parameters(stand_in, None), mode=mode) as client:
        elapsed = time.perf_counter() - started
        await client.list_tools()
    return elapsed * 1000


async def timing(stand_in: StandIn, connects: int) -> dict:
    results = {}
    for mode in MODES:
        samples = [await connect_once(mode, stand_in) for _ in range(connects)]
        results[mode] = {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1), "samples": len(samples)}
        print(f"connect {mode}: median {results[mode]['median_ms']} ms, max {results[mode]['max_ms']} ms over {connects}")
    return results


async def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wire-dir", default=tempfile.mkdtemp(prefix="wire-"))
    parser.add_argument("--connects", type=int, default=15)
    parser.add_argument("--results")
    options = parser.parse_args()
    os.makedirs(options.wire_dir, exist_ok=True)
    listing = subprocess.run([binary("social-data-mcp"), "tools", "--format", "mcp"], capture_output=True, check=True, env={"PATH": os.environ["PATH"]})
    expected_tools = [tool["name"] for tool in json.loads(listing.stdout)["tools"]]
    # The README's prompt table is generated from the prompt table: its names, in order.
    readme = subprocess.run([binary("social-data-mcp"), "tools", "--format", "markdown"], capture_output=True, check=True, text=True, env={"PATH": os.environ["PATH"]})
    expected_prompts = re.findall(r"^\| `([a-z0-9_]+)` \|", readme.stdout.split("#### Prompts", 1)[1].split("####", 1)[0], re.MULTILINE)
    with StandIn() as stand_in:
        for mode in MODES:
            await session(mode, stand_in, options.wire_dir, expected_tools, expected_prompts)
        for mode in ["auto", "legacy"]:
            await approvals(mode, stand_in, options.wire_dir)
        connect_times = await timing(stand_in, options.connects)
    check(connect_times["auto"]["median_ms"] < 1000, f"auto mode connects in under a second ({connect_times['auto']['median_ms']} ms)")
    for name in os.listdir(options.wire_dir):
        if name.startswith("python-"):
            with open(os.path.join(options.wire_dir, name), encoding="utf-8") as transcript:
                text = transcript.read()
            outbound = "\n".join(json.loads(line)["line"] for line in text.splitlines() if json.loads(line)["dir"] == "out")
            leaked = [name for name, value in KEYS.items() if "@" not in value and value in outbound]
            check(not leaked, f"{name}: no key or cookie on stdout ({leaked or 'none'})")
    if options.results:
        with open(options.results, "w", encoding="utf-8") as out:
            json.dump({"connect": connect_times, "failures": FAILURES}, out, indent=2)
    print(f"interop: {len(FAILURES)} failure(s); wire recorded in {options.wire_dir}")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
