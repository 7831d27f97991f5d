#!/usr/bin/env python3
"""What the durable spend ledger costs, measured through the real binary.

1. Latency it adds to a paid call: the median of sequential paid calls
   (datanexus_get_author: a hold written and fsynced before the request, a settle after)
   minus the median of the same-shaped free call (datanexus_list_platforms, which never
   touches the ledger), against the loopback stand-in. Measured with the state directory
   on the temporary folder and on the work tree's disk, since fsync costs what the
   filesystem makes it cost.
2. Loading 10,000 events: `usage --days 1 --format json` over a month file of 10,000
   events, minus `--version` (process start). `usage` reads the month twice (the
   limits' status, then the report), so a single load takes at most half the difference.

Usage: Benchmarks/ledger.py --server PATH --standin PATH [--calls N] [--output FILE]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class Session:
    def __init__(self, server: str, environment: dict) -> None:
        self.process = subprocess.Popen([server], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment)
        self.next_id = 0
        self.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "ledger-bench", "version": "1"}})
        self.process.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
        self.process.stdin.flush()

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self.process.stdin.write(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}).encode() + b"\n")
        self.process.stdin.flush()
        while True:
            message = json.loads(self.process.stdout.readline())
            if message.get("id") == self.next_id:
                return message

    def timed_calls(self, name: str, arguments, calls: int) -> list[float]:
        times = []
        for index in range(calls):
            started = time.perf_counter()
            reply = self.request("tools/call", {"name": name, "arguments": arguments(index)})
            times.append((time.perf_counter() - started) * 1000)
            if reply.get("result", {}).get("isError"):
                raise RuntimeError(f"{name} failed: {json.dumps(reply)[:300]}")
        return times

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


def added_latency(server: str, base: str, state: str, calls: int) -> dict:
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": state, "DATANEXUS_BASE_URL": base, "DATANEXUS_API_KEY": "dn_live_ledger_bench",
                   "SOCIAL_DATA_MCP_STATE_DIR": state, "SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "none", "SOCIAL_DATA_MCP_CACHE_TTL": "0"}
    session = Session(server, environment)
    paid = lambda index: {"platform": "douyin", "id": f"a{index}"}
    free = lambda index: {"platform": "douyin"}
    session.timed_calls("datanexus_get_author", paid, 20)  # warm up: connection, price list
    session.timed_calls("datanexus_list_platforms", free, 20)
    paid_times, free_times = [], []
    for _ in range(3):  # alternating rounds, so a noisy moment hits both
        paid_times += session.timed_calls("datanexus_get_author", paid, calls)
        free_times += session.timed_calls("datanexus_list_platforms", free, calls)
    session.close()
    paid_p50, free_p50 = statistics.median(paid_times), statistics.median(free_times)
    return {"paid_p50_ms": round(paid_p50, 3), "free_p50_ms": round(free_p50, 3), "added_p50_ms": round(paid_p50 - free_p50, 3)}


def ten_thousand_events(server: str, runs: int) -> dict:
    state = tempfile.mkdtemp(prefix="social-data-mcp-ledger-load-")
    os.makedirs(os.path.join(state, "ledger"))
    now = int(time.time() * 1000)
    lines = []
    for index in range(5_000):  # a hold and its settle: 10,000 events
        event_id = f"1-1-{index}"
        base = {"id": event_id, "pid": 1, "provider": "datanexus", "tool": "datanexus_list_works", "cur": "cny"}
        lines.append(json.dumps(dict(base, e="hold", t=now - 1000, args="0123456789abcdef", units=16000), separators=(",", ":")))
        lines.append(json.dumps(dict(base, e="settle", t=now - 900, units=1600, items=2, failed=False), separators=(",", ":")))
    month = time.strftime("%Y-%m.jsonl", time.localtime())
    with open(os.path.join(state, "ledger", month), "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": state, "SOCIAL_DATA_MCP_STATE_DIR": state}

    def median_ms(arguments: list[str]) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            result = subprocess.run([server] + arguments, env=environment, capture_output=True, check=True)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times), result.stdout

    usage_ms, output = median_ms(["usage", "--days", "1", "--format", "json"])
    version_ms, _ = median_ms(["--version"])
    report = json.loads(output)
    assert report["days"][-1]["calls"] == 5_000, report["days"][-1]
    return {"events": 10_000, "file_bytes": os.path.getsize(os.path.join(state, "ledger", month)), "usage_ms": round(usage_ms, 2), "version_ms": round(version_ms, 2),
            "two_loads_ms": round(usage_ms - version_ms, 2), "one_load_at_most_ms": round((usage_ms - version_ms) / 2, 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--standin", required=True)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--output", default=os.path.join(HERE, "results", "ledger.json"))
    options = parser.parse_args()
    standin = subprocess.Popen([options.standin, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    base = json.loads(standin.stdout.readline())["base_urls"]["DATANEXUS_BASE_URL"]
    try:
        disk_folder = os.path.join(HERE, "..", ".build")
        os.makedirs(disk_folder, exist_ok=True)
        latency = {
            "temporary folder": added_latency(options.server, base, tempfile.mkdtemp(prefix="social-data-mcp-ledger-"), options.calls),
            "work tree disk": added_latency(options.server, base, tempfile.mkdtemp(prefix="ledger-bench-", dir=disk_folder), options.calls),
        }
    finally:
        standin.stdin.close()
        standin.wait(timeout=10)
    load = ten_thousand_events(options.server, options.runs)
    for place, numbers in latency.items():
        print(f"ledger: paid call p50 {numbers['paid_p50_ms']} ms vs free {numbers['free_p50_ms']} ms → adds {numbers['added_p50_ms']} ms ({place})")
    print(f"ledger: usage over {load['events']} events ({load['file_bytes']} bytes) {load['usage_ms']} ms, --version {load['version_ms']} ms"
          f" → one load ≤ {load['one_load_at_most_ms']} ms")
    os.makedirs(os.path.dirname(options.output), exist_ok=True)
    with open(options.output, "w", encoding="utf-8") as out:
        json.dump({"date": time.strftime("%Y-%m-%d %H:%M"), "added_latency": latency, "load": load}, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
