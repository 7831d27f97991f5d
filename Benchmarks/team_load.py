#!/usr/bin/env python3
"""The team server under load, beside the same calls over stdio.

usage: team_load.py SERVER_BINARY STANDIN_BINARY [MEMBERS] [CALLS]

MEMBERS members (default 50), each with their own token and their own official-SDK client
over Streamable HTTP (2026-07-28), make CALLS paid calls in all (default 2,000; each a
different author, so every call reaches the loopback stand-in and is settled in the
ledger), all members at once. Then one stdio server gets the same calls from one SDK client
with MEMBERS calls in flight. Prints one JSON object: for each transport the calls per
second, p50/p99 latency in ms, the server's peak RSS (VmHWM) in MB, and the errors.
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
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

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


def summary(latencies: list[float], seconds: float, errors: int, rss: float) -> dict:
    ordered = sorted(latencies)
    return {"calls": len(latencies), "calls_per_second": round(len(latencies) / seconds, 1),
            "p50_ms": round(statistics.median(ordered), 1), "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 1),
            "peak_rss_mb": rss, "errors": errors}


async def timed(client: Client, index: int, latencies: list[float]) -> bool:
    started = time.perf_counter()
    result = await client.call_tool("datanexus_get_author", {"platform": "douyin", "id": f"load_{index}"})
    latencies.append((time.perf_counter() - started) * 1000)
    return not result.is_error


async def over_http(env: dict) -> dict:
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
    latencies: list[float] = []
    errors = 0

    async def member_run(number: int) -> int:
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {tokens[number]}"}, timeout=120)
        failed = 0
        async with Client(streamable_http_client(url, http_client=http), mode="2026-07-28") as client:
            for index in range(number, calls, members):
                failed += 0 if await timed(client, index, latencies) else 1
        return failed

    started = time.perf_counter()
    errors = sum(await asyncio.gather(*(member_run(number) for number in range(members))))
    seconds = time.perf_counter() - started
    rss = peak_rss(server.pid)
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)
    return summary(latencies, seconds, errors, rss)


async def over_stdio(env: dict) -> dict:
    latencies: list[float] = []
    parameters = StdioServerParameters(command=server_bin, args=[], env=env)
    async with Client(parameters, mode="2026-07-28") as client:
        pid = int(subprocess.run(["pgrep", "-n", "-f", "^" + re.escape(server_bin) + "$"], capture_output=True, text=True).stdout.split()[0])
        gate = asyncio.Semaphore(members)

        async def one(index: int) -> bool:
            async with gate:
                return await timed(client, calls + index, latencies)

        started = time.perf_counter()
        results = await asyncio.gather(*(one(index) for index in range(calls)))
        seconds = time.perf_counter() - started
        rss = peak_rss(pid)
    return summary(latencies, seconds, results.count(False), rss)


async def main() -> None:
    standin = subprocess.Popen([standin_bin, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    base_urls = json.loads(standin.stdout.readline())["base_urls"]
    try:
        http = await over_http(environment(base_urls))
        stdio = await over_stdio(environment(base_urls))
    finally:
        standin.stdin.close()
        standin.wait(timeout=10)
    print(json.dumps({"members": members, "calls": calls, "http": http, "stdio": stdio}))


asyncio.run(main())
