#!/usr/bin/env python3
"""The team server under load, beside the same calls over stdio.

usage: team_load.py SERVER_BINARY STANDIN_BINARY [MEMBERS] [CALLS]

MEMBERS members (default 50), each with their own token and their own keep-alive HTTP
connection, post CALLS paid calls in all (default 2,000; each a different author, so every
call reaches the loopback stand-in and is settled in the ledger) as stateless 2026-07-28
requests, all members at once. Then one stdio server gets the same calls with MEMBERS in
flight. The clients are raw JSON-RPC (httpx2 and a pipe), not the SDK, so that the server
and not a Python client is what is measured. Prints one JSON object: for each transport the calls per
second, p50/p99 latency in ms (each member's first call apart: it meets the cold start of
everything at once), the server's peak RSS (VmHWM) in MB, and the errors.
"""
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time

import httpx2

server_bin, standin_bin = sys.argv[1], sys.argv[2]
members = int(sys.argv[3]) if len(sys.argv) > 3 else 50
calls = int(sys.argv[4]) if len(sys.argv) > 4 else 2000


def environment(base_urls: dict) -> dict:
    state = tempfile.mkdtemp(prefix="team-load-")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": state, "SOCIAL_DATA_MCP_STATE_DIR": state,
           "DATANEXUS_API_KEY": "dn_live_team_load", "SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "100000",
           "SOCIAL_DATA_MCP_MONTHLY_LIMIT_CNY": "100000"}
    env.update(base_urls)
    return env


def peak_rss(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def summary(latencies: list[tuple[float, bool]], seconds: float, errors: int, rss: float) -> dict:
    """Steady-state latencies apart from each member's first call, which meets the cold
    start of everything at once (the price list, the ledger's first read, 50 connections)."""
    ordered = sorted(latency for latency, first in latencies if not first)
    firsts = sorted(latency for latency, first in latencies if first)
    return {"calls": len(latencies), "calls_per_second": round(len(latencies) / seconds, 1),
            "p50_ms": round(statistics.median(ordered), 1), "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 1),
            "first_call_p50_ms": round(statistics.median(firsts), 1), "first_call_max_ms": round(firsts[-1], 1),
            "peak_rss_mb": rss, "errors": errors}


MODERN_META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}


def call(index: int, request_id: int) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": "tools/call",
            "params": {"name": "datanexus_get_author", "arguments": {"platform": "douyin", "id": f"load_{index}"},
                       "_meta": MODERN_META}}


async def over_http(env: dict) -> dict:
    """Each member its own keep-alive connection, posting its share of the calls one after another."""
    tokens = []
    for number in range(members):
        made = subprocess.run([server_bin, "member", "add", f"member{number}", "--format", "json"], env=env,
                              capture_output=True, text=True, check=True)
        tokens.append(json.loads(made.stdout)["token"])
    server = subprocess.Popen([server_bin, "serve", "--http", "127.0.0.1:0"], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = None
    for line in server.stderr:
        found = re.search(r"serving MCP at (http://\S+/mcp)", line)
        if found:
            url = found.group(1)
            break
    latencies: list[tuple[float, bool]] = []

    # Clients are made before the clock starts, without TLS settings (plain http to
    # loopback): httpx builds a certificate store per client, ~30 ms each, which once showed
    # up as a 0.8 s "first call" that was the client's, not the server's.
    clients = [
        httpx2.AsyncClient(
            headers={"Authorization": f"Bearer {tokens[number]}", "MCP-Protocol-Version": "2026-07-28",
                     "Mcp-Method": "tools/call", "Mcp-Name": "datanexus_get_author", "Accept": "application/json"},
            timeout=120, verify=False)
        for number in range(members)
    ]

    async def member_run(number: int) -> int:
        failed = 0
        http = clients[number]
        for index in range(number, calls, members):
            started = time.perf_counter()
            answer = await http.post(url, json=call(index, index))
            latencies.append(((time.perf_counter() - started) * 1000, index < members))
            body = answer.json()
            failed += 0 if answer.status_code == 200 and body.get("result", {}).get("isError") is False else 1
        await http.aclose()
        return failed

    started = time.perf_counter()
    errors = sum(await asyncio.gather(*(member_run(number) for number in range(members))))
    seconds = time.perf_counter() - started
    rss = peak_rss(server.pid)
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    return summary(latencies, seconds, errors, rss)


def over_stdio(env: dict) -> dict:
    """One process, the same calls pipelined MEMBERS at a time over its stdin and stdout."""
    server = subprocess.Popen([server_bin], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL)
    sent_at: dict[int, float] = {}
    latencies: list[tuple[float, bool]] = []
    errors = 0
    next_index = 0
    started = time.perf_counter()
    while len(latencies) < calls:
        while next_index < calls and len(sent_at) < members:
            sent_at[next_index] = time.perf_counter()
            server.stdin.write((json.dumps(call(calls + next_index, next_index)) + "\n").encode())
            next_index += 1
        server.stdin.flush()
        reply = json.loads(server.stdout.readline())
        if "id" in reply and reply["id"] in sent_at:
            latencies.append(((time.perf_counter() - sent_at.pop(reply["id"])) * 1000, reply["id"] < members))
            errors += 0 if reply.get("result", {}).get("isError") is False else 1
    seconds = time.perf_counter() - started
    rss = peak_rss(server.pid)
    server.stdin.close()
    server.wait(timeout=30)
    return summary(latencies, seconds, errors, rss)


async def main() -> None:
    standin = subprocess.Popen([standin_bin, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    base_urls = json.loads(standin.stdout.readline())["base_urls"]
    try:
        http = await over_http(environment(base_urls))
        stdio = over_stdio(environment(base_urls))
    finally:
        standin.stdin.close()
        standin.wait(timeout=10)
    print(json.dumps({"members": members, "calls": calls, "http": http, "stdio": stdio}))


asyncio.run(main())
