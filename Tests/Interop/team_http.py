#!/usr/bin/env python3
"""Drives `social-data-mcp serve --http` (the team server) with the official MCP Python SDK.

Members are made with `social-data-mcp member add`; the server runs against the loopback
stand-in. With a member's token the SDK connects over Streamable HTTP in both eras
(`auto` → 2026-07-28, `legacy` → 2025-11-25 with a session), lists the tools, calls a
free and a paid tool (with progress on a long one) and reads its usage; a call above the
ask-first threshold asks the member (elicitation/create on the call's stream, or
input_required) and a decline sends nothing. A member added with --toolsets sees and calls
only those. Without a token, with a wrong or removed one, the server answers 401 with `WWW-Authenticate`; a foreign
`Origin` gets 403. Four members making forty concurrent paid calls under a ¥2 team limit
never pass it, and the stand-in's request count, the ledger and `usage --by member` agree, per
member and in total. A member with a ¥1 daily limit of their own is refused the 13th ¥0.08
call (nothing sent) while another member still works. Garbage bytes, a 20 MB body, a 70 KiB header and 500 idle connections get an
HTTP error or a closed connection, and the next request is served. The same sessions run through nginx (Debian's package) terminating TLS
with the README's configuration. No provider key or cookie appears in any body or header.

    team_http.py

Exits non-zero on the first failed check.
"""
import asyncio
import contextlib
import json
import os
import random
import re
import signal
import socket
import ssl
import subprocess
import sys
import time

import httpx2
from mcp import Client, types
from mcp.shared.exceptions import MCPError
from mcp.client.streamable_http import streamable_http_client

from fuzz_upstream import arguments_for
from standin import KEYS, ROOT, StandIn, binary, server_environment

FAILURES: list[str] = []


def check(condition: bool, what: str) -> None:
    print(("  ok   " if condition else "  FAIL ") + what)
    if not condition:
        FAILURES.append(what)


def leaks(text: str) -> list[str]:
    """The stand-in's secrets found in `text` (keys, the cookie, its session value)."""
    secrets = list(KEYS.values()) + [KEYS["TIKOMNI_DOUYIN_COOKIE"].split("=", 1)[1]]
    return [secret for secret in secrets if secret in text and secret != KEYS["CREATIVAULT_USER_IDENTITY"]]


async def narrowed(url: str, token: str) -> None:
    """A member added with --toolsets geo lists and calls only GEO's tools and the server's own."""
    print("== a member with toolsets of their own")
    async with connect(url, token, "auto") as client:
        names = [tool.name for tool in (await client.list_tools()).tools]
        check(names and all(name.startswith(("geo_", "social_data_")) for name in names), f"only GEO's and the server's tools are listed ({len(names)})")
        try:
            await client.call_tool("datanexus_get_author", {"platform": "douyin", "id": "1"})
            check(False, "a tool outside them is refused")
        except MCPError as error:
            check(error.error.code == -32602 and "toolsets" in error.error.message, f"a tool outside them is refused as a hidden tool is, saying why ({error.error.message})")
        usage = await client.call_tool("social_data_usage", {})
        check(not usage.is_error, "the server's own tools stay")


def member(environment: dict, *arguments: str) -> dict:
    done = subprocess.run([binary("social-data-mcp"), "member", *arguments, "--format", "json"], env=environment, capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


class TeamServer:
    """`serve --http 127.0.0.1:0`; the bound address is read from its stderr."""

    def __init__(self, environment: dict) -> None:
        self.process = subprocess.Popen([binary("social-data-mcp"), "serve", "--http", "127.0.0.1:0"], env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stderr: list[str] = []
        for line in self.process.stderr:
            self.stderr.append(line)
            found = re.search(r"serving MCP at (http://\S+/mcp)", line)
            if found:
                self.url = found.group(1)
                return
        raise RuntimeError("the team server did not start: " + "".join(self.stderr))

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=20)
        self.stderr += self.process.stderr.readlines()
        check(self.process.stdout.read() == "", "the team server writes nothing to stdout")
        return code


class NginxTLS:
    """scripts/nginx-tls in front of the team server: nginx from Debian's packages, TLS with
    a fresh self-signed certificate, the tested configuration the README shows."""

    def __init__(self, upstream_url: str) -> None:
        upstream_port = upstream_url.rsplit(":", 1)[1].split("/")[0]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            listen_port = probe.getsockname()[1]
        script = os.path.join(ROOT, "scripts", "nginx-tls")
        self.process = subprocess.Popen([script, upstream_port, str(listen_port)], stdout=subprocess.PIPE, text=True, start_new_session=True)
        for line in self.process.stdout:
            found = re.search(r"^nginx-tls: (https://\S+/mcp) .*certificate (\S+)$", line.strip())
            if found:
                self.url, self.certificate = found.group(1), found.group(2)
                break
        else:
            raise RuntimeError("nginx did not start")
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", listen_port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("nginx is not listening")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=20)


def connect(url: str, token: str, mode: str, certificate: str | None = None, **options) -> Client:
    verify = ssl.create_default_context(cafile=certificate) if certificate else True
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60, verify=verify)
    return Client(streamable_http_client(url, http_client=http), mode=mode, read_timeout_seconds=60, **options)


async def approvals(url: str, token: str, mode: str) -> None:
    """A call above the ask-first threshold (¥8 worst case > ¥5): the member is asked
    (elicitation/create on the call's stream in legacy, input_required in auto); decline sends
    nothing, accept sends the call."""
    print(f"== asking before a big call over HTTP, mode {mode}")
    for action in ["decline", "accept"]:
        asked: list[str] = []

        async def on_elicit(context, params):
            asked.append(params.message)
            return types.ElicitResult(action=action, content={} if action == "accept" else None)

        async with connect(url, token, mode, elicitation_callback=on_elicit) as client:
            result = await client.call_tool("datanexus_list_authors", {"platform": "xiaohongshu", "keyword": f"美妆 {mode} {action}", "page_size": 100})
            text = result.content[0].text if result.content else ""
            check(len(asked) == 1 and "¥8.00" in asked[0], f"{action}: the member is asked once, with the worst case")
            if action == "accept":
                check(not result.is_error, "accept: the call proceeds")
            else:
                check(result.is_error and "did not approve" in text, "decline: not approved, nothing sent")


async def session(url: str, token: str, mode: str, tool_count: int, certificate: str | None = None) -> None:
    print(f"== Streamable HTTP{' through nginx with TLS' if certificate else ''}, mode {mode}")
    async with connect(url, token, mode, certificate) as client:
        expected = "2025-11-25" if mode == "legacy" else "2026-07-28"
        check(client.protocol_version == expected, f"negotiated {client.protocol_version}")
        listed = await client.list_tools()
        check(len(listed.tools) == tool_count, f"tools/list has all {tool_count} tools")
        free = await client.call_tool("datanexus_list_platforms", {})
        check(not free.is_error, "a free tool answers")
        paid = await client.call_tool("datanexus_get_author", {"platform": "xiaohongshu", "id": "506931231"})
        text = paid.content[0].text if paid.content else ""
        check(not paid.is_error and "Cost:" in text and "¥0.08" in text, "a paid tool answers and states its cost")
        progress: list[float] = []

        async def on_progress(value: float, total: float | None, message: str | None) -> None:
            progress.append(value)

        status = await client.call_tool("creativault_get_task_status", {"task_id": f"task_http_{mode}_{'tls' if certificate else 'plain'}", "wait_seconds": 20}, progress_callback=on_progress)
        check(not status.is_error and len(progress) >= 3 and progress == sorted(progress), f"progress arrives on the call's stream ({len(progress)} notifications)")
        usage = await client.call_tool("social_data_usage", {})
        check(not usage.is_error, "usage answers")
        bad = await client.call_tool("datanexus_get_author", {"platform": "weibo", "id": "1"})
        check(bad.is_error, "an argument error is a tool error")
        seen = json.dumps([result.model_dump(mode="json") for result in [free, paid, status, usage, bad]], ensure_ascii=False)
        check(not leaks(seen), "no provider key or cookie in any result")


async def every_tool_keeps_keys(url: str, token: str) -> None:
    """Every tool's success and error path over the team server: no provider key or cookie
    in any response body or header (stateless 2026-07-28 requests, read raw)."""
    print("== every tool, success and error paths: no key or cookie in any body or header")
    rng = random.Random(20261201)
    headers = {"Authorization": f"Bearer {token}", "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Accept": "application/json, text/event-stream"}
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
    async with httpx2.AsyncClient(timeout=60) as http:
        listing = await http.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": meta}}, headers=headers | {"Mcp-Method": "tools/list"})
        tools = listing.json()["result"]["tools"]
        found: list[str] = []
        answered = 0
        echoed_masked = False
        for number, tool in enumerate(tools):
            good = arguments_for(tool, rng)
            if "wait_seconds" in tool["inputSchema"].get("properties", {}):
                good["wait_seconds"] = 0
            if tool["name"] == "tikomni_call_route":
                # The stand-in echoes a route's body back: every key and the cookie's value
                # come back in the provider's answer, and must leave the server masked.
                cookie_value = KEYS["TIKOMNI_DOUYIN_COOKIE"].split("=", 1)[1]
                good = {"path": "/api/u1/v1/echo/secrets", "method": "POST", "body": {"echoed": list(KEYS.values()) + [cookie_value]}}
            bad = good | {"no_such_argument": 1}
            for arguments in [good, bad]:
                body = {"jsonrpc": "2.0", "id": 100 + number, "method": "tools/call", "params": {"name": tool["name"], "arguments": arguments, "_meta": meta}}
                answer = await http.post(url, json=body, headers=headers | {"Mcp-Name": tool["name"]})
                answered += answer.status_code == 200
                if tool["name"] == "tikomni_call_route" and arguments is good:
                    echoed_masked = answer.status_code == 200 and "echoed" in answer.text and '"isError":true' not in answer.text.replace(" ", "")
                seen = answer.text + json.dumps(dict(answer.headers))
                found += [f"{tool['name']}: {secret[:4]}…" for secret in leaks(seen)]
        check(answered == 2 * len(tools), f"all {len(tools)} tools answered twice ({answered} answers)")
        check(not found, f"no provider key or cookie in {answered} bodies and their headers {found[:3]}")
        check(echoed_masked, "a provider answer echoing every key and the cookie came back masked")


async def refusals(url: str, token: str, removed_token: str) -> None:
    print("== tokens and origins")
    body = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    async with httpx2.AsyncClient(timeout=10) as http:
        for label, headers in [("no token", {}), ("a wrong token", {"Authorization": "Bearer sdm_not_a_real_token"}), ("a removed member's token", {"Authorization": f"Bearer {removed_token}"}), ("a Basic header", {"Authorization": f"Basic {token}"})]:
            answer = await http.post(url, json=body, headers=headers)
            check(answer.status_code == 401 and answer.headers.get("www-authenticate", "").startswith("Bearer"), f"{label}: 401 with WWW-Authenticate: Bearer")
        answer = await http.post(url, json=body, headers={"Authorization": f"Bearer {token}", "Origin": "http://evil.example"})
        check(answer.status_code == 403, "a foreign Origin: 403")
        answer = await http.post(url, json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"}, headers={"Authorization": f"Bearer {token}", "Mcp-Session-Id": "0" * 32})
        check(answer.status_code == 404, "an unknown session: 404")
        modern = {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "datanexus_get_author", "arguments": {"platform": "douyin", "id": "1"}, "_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}}}
        mirrored = {"Authorization": f"Bearer {token}", "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/call", "Accept": "application/json, text/event-stream"}
        answer = await http.post(url, json=modern, headers=mirrored | {"Mcp-Name": "datanexus_list_platforms"})
        check(answer.status_code == 400 and answer.json()["error"]["code"] == -32020, "an Mcp-Name that differs from the body: 400 HeaderMismatch, nothing called")
        answer = await http.post(url, json=modern, headers=mirrored)
        check(answer.status_code == 400 and answer.json()["error"]["code"] == -32020, "a missing Mcp-Name: 400 HeaderMismatch")
        answer = await http.get(url, headers={"Authorization": f"Bearer {token}"})
        check(answer.status_code == 405, "GET: 405 (no server-initiated stream)")


def raw_exchange(url: str, payload: bytes, read_timeout: float = 15.0) -> bytes:
    """Sends raw bytes to the server and returns what comes back before it closes or goes quiet."""
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=read_timeout) as connection:
        try:
            connection.sendall(payload)
        except OSError:
            pass  # the server may close before reading all of a refused body
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except OSError:
            pass
        return answer


async def hostile_http(url: str, token: str) -> None:
    print("== hostile HTTP, then a valid request")
    status = lambda answer: answer.split(b"\r\n", 1)[0]
    garbage = raw_exchange(url, bytes(range(256)) * 4 + b"\r\n\r\n")
    check(garbage == b"" or status(garbage).startswith(b"HTTP/1.1 4"), f"garbage bytes: {status(garbage)!r} or a closed connection")
    head = f"POST /mcp HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {20 * 1024 * 1024}\r\n\r\n".encode()
    big = raw_exchange(url, head + b"{" + b" " * (1024 * 1024))
    check(big == b"" or status(big).startswith(b"HTTP/1.1 413"), f"a 20 MB body: {status(big)!r} or a closed connection")
    long_header = raw_exchange(url, b"GET /mcp HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * (70 * 1024) + b"\r\n\r\n")
    check(long_header == b"" or status(long_header).startswith(b"HTTP/1.1 431") or status(long_header).startswith(b"HTTP/1.1 400"), f"a 70 KiB header: {status(long_header)!r}")
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    idle = [socket.create_connection((host, int(port)), timeout=10) for _ in range(500)]
    try:
        async with httpx2.AsyncClient(timeout=30) as http:
            answer = await http.post(url, json={"jsonrpc": "2.0", "id": 9, "method": "server/discover", "params": {}}, headers={"Authorization": f"Bearer {token}"})
            check(answer.status_code == 200 and "result" in answer.json(), "with 500 idle connections open, a valid request is served")
    finally:
        for connection in idle:
            connection.close()


async def team_limit(url: str, tokens: list[str], names: list[str], stand_in: StandIn, environment: dict) -> None:
    print("== four members, forty concurrent paid calls, a ¥2 team limit")
    async with contextlib.AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(connect(url, token, "auto")) for token in tokens]
        before = await spent_today(clients[0])
        usage_before = usage_by_member(environment)
        requests_before = stand_in.author_requests()
        calls = [client.call_tool("datanexus_get_author", {"platform": "douyin", "id": f"limit_{index}_{slot}"}) for index, client in enumerate(clients) for slot in range(10)]
        results = await asyncio.gather(*calls)
        paid = [result for result in results if not result.is_error]
        refused = [result for result in results if result.is_error and "limit" in (result.content[0].text if result.content else "")]
        check(len(paid) + len(refused) == 40, f"every call is paid or refused by the limit ({len(paid)} paid, {len(refused)} refused)")
        check(all("the team's daily limit" in result.content[0].text for result in refused), "each refusal names the team's limit")
        spent = await spent_today(clients[0])
        check(spent <= 2.0 + 1e-9, f"the team spent ¥{spent}, within ¥2")
        check(abs(spent - before - 0.08 * len(paid)) < 1e-6, f"the ledger agrees with the calls answered (¥{spent} - ¥{before} = {len(paid)} × ¥0.08)")
        sent = stand_in.author_requests() - requests_before
        check(sent == len(paid), f"the stand-in saw one request per paid call ({sent}) and none for a refused one")
        usage_after = usage_by_member(environment)
        for index, name in enumerate(names):
            answered = sum(1 for slot in range(10) if not results[index * 10 + slot].is_error)
            calls_made = usage_after[name]["calls"] - usage_before.get(name, {"calls": 0})["calls"]
            spent_by = usage_after[name]["spent_cny"] - usage_before.get(name, {"spent_cny": 0})["spent_cny"]
            check(calls_made == answered and abs(spent_by - 0.08 * answered) < 1e-6, f"usage --by member: {name} made {calls_made} calls for ¥{spent_by:.2f}, as answered ({answered})")
        total = sum(row["spent_cny"] for row in usage_after.values())
        check(abs(total - spent) < 1e-6, f"usage --by member's total (¥{total:.2f}) is the ledger's (¥{spent:.2f})")


def usage_by_member(environment: dict) -> dict:
    """`usage --by member --format json` by member label."""
    done = subprocess.run([binary("social-data-mcp"), "usage", "--by", "member", "--format", "json"], env=environment, capture_output=True, text=True, check=True)
    return {row["label"]: row for row in json.loads(done.stdout)["members"]}


async def member_limit(url: str, limited: str, other: str, stand_in: StandIn) -> None:
    print("== a member with a ¥1 daily limit of their own")
    async with connect(url, limited, "auto") as client, connect(url, other, "auto") as second:
        before = stand_in.author_requests()
        for index in range(12):
            result = await client.call_tool("datanexus_get_author", {"platform": "douyin", "id": f"own_{index}"})
            if result.is_error:
                break
        check(stand_in.author_requests() - before == 12, "twelve ¥0.08 calls are sent (¥0.96)")
        refused = await client.call_tool("datanexus_get_author", {"platform": "douyin", "id": "own_12"})
        text = refused.content[0].text if refused.content else ""
        check(refused.is_error and "ivan's own daily limit" in text and "leaving ¥0.04" in text, f"the 13th is refused by ivan's own limit, saying what is left ({text[:120]})")
        check(stand_in.author_requests() - before == 12, "nothing was sent for it")
        still = await second.call_tool("datanexus_get_author", {"platform": "douyin", "id": "other_after_limit"})
        check(not still.is_error, "another member still works")
        usage = await client.call_tool("social_data_usage", {})
        mine = usage.structured_content["data"].get("member", {})
        check(mine.get("name") == "ivan" and abs(mine["today_cny"]["remaining"] - 0.04) < 1e-9, "social_data_usage shows the member's own spend and what is left")


async def spent_today(client: Client) -> float:
    usage = await client.call_tool("social_data_usage", {})
    return usage.structured_content["data"]["all_processes"]["today_cny"]["spent"]


async def main() -> int:
    with StandIn() as stand_in:
        environment = server_environment(stand_in, SOCIAL_DATA_MCP_DAILY_LIMIT_CNY="2")
        tokens = [member(environment, "add", name)["token"] for name in ["alice", "bob", "carol", "dave"]]
        removed = member(environment, "add", "mallory")["token"]
        geo_only = member(environment, "add", "gina", "--toolsets", "geo")["token"]
        member(environment, "remove", "mallory")
        listed = subprocess.run([binary("social-data-mcp"), "tools"], env=environment, capture_output=True, text=True, check=True)
        tool_count = len(json.loads(listed.stdout)["tools"])
        server = TeamServer(environment)
        try:
            for mode in ["auto", "legacy"]:
                await session(server.url, tokens[0], mode, tool_count)
            nginx = NginxTLS(server.url)
            try:
                for mode in ["auto", "legacy"]:
                    await session(nginx.url, tokens[1], mode, tool_count, nginx.certificate)
            finally:
                nginx.stop()
            await narrowed(server.url, geo_only)
            await refusals(server.url, tokens[0], removed)
            await hostile_http(server.url, tokens[0])
            await team_limit(server.url, tokens, ["alice", "bob", "carol", "dave"], stand_in, environment)
        finally:
            code = server.stop()
        check(code == 0, "SIGTERM stops the team server cleanly")
        # Asking first needs a budget above the big call's worst case: a server of its own.
        roomy = server_environment(stand_in)
        asker = TeamServer(roomy)
        try:
            token = member(roomy, "add", "erin")["token"]
            for mode in ["auto", "legacy"]:
                await approvals(asker.url, token, mode)
            await every_tool_keeps_keys(asker.url, token)
            limited = member(roomy, "add", "ivan", "--daily-limit-cny", "1")["token"]
            await member_limit(asker.url, limited, token, stand_in)
        finally:
            asker.stop()
        found = leaks("".join(server.stderr))
        check(not found, "no secret on the team server's stderr")
    if FAILURES:
        print(f"{len(FAILURES)} checks failed", file=sys.stderr)
        return 1
    print("team server interop: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
