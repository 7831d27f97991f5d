#!/usr/bin/env python3
"""social-data-mcp beside the official Python MCP SDK, measured in one run.

Both servers expose datanexus_get_author doing the same keep-alive GET to the same
loopback DataNexus stand-in. Each is driven over real stdio pipes by a minimal raw
JSON-RPC client (so the client's own cost is the same for both), alternating between
the two where runs repeat:

- cold start: spawn to the `initialize` result, median of N;
- tools/list: round trip with the full table, median of 50;
- sequential tools/call latency p50/p99 over N calls (distinct ids, cache off);
- pipelined throughput: N calls written before the first response is read;
- peak RSS (VmHWM) after all those calls;
- RSS after 20,000 free calls (datanexus_list_platforms, no ledger record) in one process,
  sent in pipelined batches, as a long-lived client session would;
- the size of the shipped binary (scripts/build: static Swift runtime, symbols stripped);
- the floor: the same GET made directly by a keep-alive URLSession client;
- with --swift-sdk-server, beside a server written with the official Swift MCP SDK
  (Benchmarks/swift-sdk: the same tool, the same URLSession GET, no ledger): sequential p50
  and pipelined throughput of our paid call (a hold fsynced before each request, a settle
  after; each run on an empty ledger of its own) and of our free call
  (datanexus_list_platforms, one GET to the same stand-in, no ledger), in the same
  alternating rounds.

Prints one table with ratios to the reference and the targets, and writes JSON.
"""
import argparse
import json
import os
import shutil
import tempfile
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TARGETS = {
    "cold_start_ms": ("≤", 25.0),
    "tools_list_ms": ("≤", 2.0),
    "call_p50_over_floor": ("≤", 1.3),
    "throughput_over_reference": ("≥", 4.0),
    "peak_rss_mb": ("≤", 25.0),
    "release_build_s": ("≤", 90.0),
    "rss_after_free_calls_mb": ("≤", 60.0),
    "binary_bytes": ("≤", 62_000_000),
    "paid_throughput_over_swift_sdk": ("≥", 1.5),
}
PAID = ("datanexus_get_author", lambda index: {"platform": "douyin", "id": f"p{index}"})
FREE = ("datanexus_list_platforms", lambda index: {"platform": "douyin"})
INITIALIZE = {"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "bench", "version": "1"}}}


class Session:
    """One server process over pipes, spoken to with raw JSON-RPC lines."""

    def __init__(self, argv: list[str], environment: dict) -> None:
        self.started = time.perf_counter()
        # Buffered (an unbuffered readline reads one byte per system call), flushed per message.
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(os.environ.get("BENCH_STDERR", os.devnull), "ab"), env=environment)
        self.next_id = 1

    def send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        self.process.stdin.flush()

    def read_line(self) -> bytes:
        """The next response line, unparsed (parsing 25 KB of tools/list in Python would be timed otherwise)."""
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("the server closed stdout")
            if not line.startswith(b'{"jsonrpc":"2.0","method"') and b'"method":"notifications/' not in line[:200]:
                return line

    def read(self) -> dict:
        return json.loads(self.read_line())

    def initialize(self) -> float:
        self.send(INITIALIZE)
        self.read()
        elapsed = (time.perf_counter() - self.started) * 1000
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        return elapsed

    def request(self, method: str, params: dict) -> dict:
        return json.loads(self.request_raw(method, params))

    def request_raw(self, method: str, params: dict) -> bytes:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.read_line()

    def call(self, index: int, tool=None) -> bytes:
        if tool is not None:
            return self.request_raw("tools/call", {"name": tool[0], "arguments": tool[1](index)})
        return self.request_raw("tools/call", {"name": "datanexus_get_author", "arguments": {"platform": "xiaohongshu", "id": f"a{index}"}})

    def memory_mb(self) -> dict:
        """Peak RSS (VmHWM), and the current RSS split into private (anonymous) memory and
        file-backed pages (the binary and shared libraries)."""
        values = {}
        with open(f"/proc/{self.process.pid}/status", encoding="utf-8") as status:
            for line in status:
                name = line.split(":")[0]
                if name in ("VmHWM", "RssAnon", "RssFile"):
                    values[name] = round(int(line.split()[1]) / 1024, 1)
        return values

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=10)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def measure(name: str, argv: list[str], environment: dict, calls: int, tool=None) -> dict:
    """One process: tools/list, then `tool` (datanexus_get_author by default) sequentially
    and pipelined."""
    tool = tool or PAID
    session = Session(argv, environment)
    session.initialize()
    list_times = []
    for _ in range(50):
        started = time.perf_counter()
        raw = session.request_raw("tools/list", {})
        list_times.append((time.perf_counter() - started) * 1000)
    tool_count = len(json.loads(raw)["result"]["tools"])
    for index in range(20):  # warm up: connections, caches, JIT-free but lazy paths
        assert b'"result"' in session.call(10_000 + index, tool)
    latencies = []
    for index in range(calls):
        started = time.perf_counter()
        raw = session.call(index, tool)
        latencies.append((time.perf_counter() - started) * 1000)
        if b'"isError":true' in raw:
            raise RuntimeError(f"{name}: a call failed: {raw[:300]}")
    started = time.perf_counter()
    first = session.next_id + 1
    payload = b"".join(
        json.dumps({"jsonrpc": "2.0", "id": first + index, "method": "tools/call", "params": {"name": tool[0], "arguments": tool[1](index)}}).encode() + b"\n"
        for index in range(calls)
    )
    session.process.stdin.write(payload)
    session.process.stdin.flush()
    for _ in range(calls):
        if b'"isError":true' in session.read_line():
            raise RuntimeError(f"{name}: a pipelined call failed")
    throughput = calls / (time.perf_counter() - started)
    memory = session.memory_mb()
    session.close()
    return {
        "tools_listed": tool_count,
        "tools_list_ms": round(statistics.median(list_times), 3),
        "call_p50_ms": round(percentile(latencies, 0.5), 3),
        "call_p99_ms": round(percentile(latencies, 0.99), 3),
        "throughput_calls_per_s": round(throughput, 1),
        "peak_rss_mb": memory.get("VmHWM", 0.0),
        "rss_anonymous_mb": memory.get("RssAnon", 0.0),
        "rss_file_mb": memory.get("RssFile", 0.0),
        "calls_made": 20 + 2 * calls,
    }


def rss_after_free_calls(argv: list[str], environment: dict, calls: int, batch: int = 500) -> dict:
    """RSS of one process after `calls` free calls, written `batch` at a time before the
    answers are read (what a busy client session does); the ledger is not involved."""
    session = Session(argv, environment)
    session.initialize()
    started = time.perf_counter()
    sent = 0
    while sent < calls:
        count = min(batch, calls - sent)
        first = session.next_id + 1
        session.next_id += count
        session.process.stdin.write(b"".join(
            json.dumps({"jsonrpc": "2.0", "id": first + index, "method": "tools/call",
                        "params": {"name": "datanexus_list_platforms", "arguments": {"platform": "douyin"}}}).encode() + b"\n"
            for index in range(count)))
        session.process.stdin.flush()
        for _ in range(count):
            line = session.read_line()
            if b'"isError":true' in line:
                raise RuntimeError(f"a free call failed: {line[:300]}")
        sent += count
    elapsed = time.perf_counter() - started
    values = {}
    with open(f"/proc/{session.process.pid}/status", encoding="utf-8") as status:
        for line in status:
            name = line.split(":")[0]
            if name in ("VmRSS", "VmHWM"):
                values[name] = round(int(line.split()[1]) / 1024, 1)
    session.close()
    return {"calls": calls, "rss_mb": values.get("VmRSS", 0.0), "peak_rss_mb": values.get("VmHWM", 0.0),
            "calls_per_s": round(calls / elapsed, 1)}


def cold_starts(servers: dict, runs: int) -> dict:
    samples = {name: [] for name in servers}
    for _ in range(runs):
        for name, (argv, environment) in servers.items():  # alternating
            session = Session(argv, environment)
            samples[name].append(session.initialize())
            session.close()
    return {name: round(statistics.median(values), 1) for name, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True, help="the social-data-mcp binary")
    parser.add_argument("--standin", required=True, help="the social-data-standin binary")
    parser.add_argument("--python", default=sys.executable, help="python with the mcp SDK, for the reference")
    parser.add_argument("--cold-starts", type=int, default=15)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the per-call measurements; medians are reported")
    parser.add_argument("--build-seconds", type=float)
    parser.add_argument("--rss-calls", type=int, default=20_000, help="free calls in one process before its RSS is read (0: skip)")
    parser.add_argument("--output", default=os.path.join(HERE, "results", "latest.json"))
    parser.add_argument("--swift-sdk-server", help="the Swift SDK reference server (Benchmarks/swift-sdk/prepare prints its path)")
    parser.add_argument("--swift-sdk-skipped", default="no --swift-sdk-server given", help="why there is no Swift SDK server, for the report")
    options = parser.parse_args()

    standin = subprocess.Popen([options.standin, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    base = json.loads(standin.stdout.readline())["base_urls"]["DATANEXUS_BASE_URL"]
    common = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), "DATANEXUS_BASE_URL": base, "DATANEXUS_API_KEY": "dn_live_benchmark_key",
              # A ledger of its own, and no daily limit: the benchmark spends stand-in money by the thousand.
              "SOCIAL_DATA_MCP_STATE_DIR": tempfile.mkdtemp(prefix="social-data-mcp-bench-"), "SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "none"}
    servers = {
        "social-data-mcp": ([options.server], dict(common, SOCIAL_DATA_MCP_CACHE_TTL="0")),
        "python-sdk": ([options.python, os.path.join(HERE, "reference_server.py")], common),
    }
    if options.swift_sdk_server:
        servers["swift-sdk"] = ([options.swift_sdk_server], common)
    # What each round measures: (server, tool). Our free call only beside the Swift SDK.
    runs = [(name, PAID) for name in servers]
    if options.swift_sdk_server:
        runs.insert(1, ("social-data-mcp free", FREE))
    # Our runs each start on an empty ledger of their own, on the ordinary disk (not /tmp,
    # which may be memory), since what a hold's fsync costs is the filesystem's.
    os.makedirs(os.path.join(HERE, "..", ".build"), exist_ok=True)
    state_root = tempfile.mkdtemp(prefix="bench-state-", dir=os.path.join(HERE, "..", ".build"))
    try:
        cold = cold_starts(servers, options.cold_starts)
        rounds: dict[str, list[dict]] = {name: [] for name, _ in runs}
        floors: list[dict] = []
        for _ in range(options.rounds):  # alternating, so a noisy moment hits every server
            for name, tool in runs:
                argv, environment = servers[name.split(" ")[0]]
                if name.startswith("social-data-mcp"):
                    environment = dict(environment, SOCIAL_DATA_MCP_STATE_DIR=tempfile.mkdtemp(prefix="state-", dir=state_root))
                rounds[name].append(measure(name, argv, environment, options.calls, tool))
            floor_run = subprocess.run(
                [options.standin, "fetch", base + "/api/v1/platforms/xiaohongshu/authors/floor", str(options.calls)], capture_output=True, check=True
            )
            floors.append(json.loads(floor_run.stdout))
        results = {name: {key: statistics.median(run[key] for run in runs) for key in runs[0]} for name, runs in rounds.items()}
        floor = {key: statistics.median(run[key] for run in floors) for key in floors[0]}
        argv, environment = servers["social-data-mcp"]
        free_calls = rss_after_free_calls(argv, environment, options.rss_calls) if options.rss_calls > 0 else None
    finally:
        standin.stdin.close()
        standin.wait(timeout=10)
        shutil.rmtree(state_root, ignore_errors=True)
    for name in results:
        if name in cold:
            results[name]["cold_start_ms"] = cold[name]
    ours, reference = results["social-data-mcp"], results["python-sdk"]
    derived = {
        "cold_start_ms": ours["cold_start_ms"],
        "tools_list_ms": ours["tools_list_ms"],
        "call_p50_over_floor": round(ours["call_p50_ms"] / floor["p50_ms"], 2),
        "server_overhead_p50_ms": round(ours["call_p50_ms"] - floor["p50_ms"], 3),
        "throughput_over_reference": round(ours["throughput_calls_per_s"] / reference["throughput_calls_per_s"], 1),
        "peak_rss_mb": ours["peak_rss_mb"],
        "binary_mb": round(os.path.getsize(options.server) / 1_048_576, 1),
        "binary_bytes": os.path.getsize(options.server),
    }
    if free_calls is not None:
        derived["rss_after_free_calls_mb"] = free_calls["rss_mb"]
    if options.build_seconds is not None:
        derived["release_build_s"] = round(options.build_seconds, 1)
    swift_sdk = results.get("swift-sdk")
    if swift_sdk:
        free = results["social-data-mcp free"]
        derived["paid_throughput_over_swift_sdk"] = round(ours["throughput_calls_per_s"] / swift_sdk["throughput_calls_per_s"], 2)
        derived["free_throughput_over_swift_sdk"] = round(free["throughput_calls_per_s"] / swift_sdk["throughput_calls_per_s"], 2)
        derived["paid_p50_over_swift_sdk"] = round(ours["call_p50_ms"] / swift_sdk["call_p50_ms"], 2)
        derived["free_p50_over_swift_sdk"] = round(free["call_p50_ms"] / swift_sdk["call_p50_ms"], 2)
        derived["paid_over_free_p50"] = round(ours["call_p50_ms"] / free["call_p50_ms"], 2)
        derived["paid_over_free_throughput"] = round(ours["throughput_calls_per_s"] / free["throughput_calls_per_s"], 2)
    report = {"date": time.strftime("%Y-%m-%d %H:%M"), "calls": options.calls, "cold_starts": options.cold_starts, "rounds": options.rounds, "results": results,
              "urlsession_floor": floor, "free_calls": free_calls, "derived": derived, "targets": {},
              "swift_sdk": {"server": options.swift_sdk_server} if swift_sdk else {"skipped": options.swift_sdk_skipped}}
    for key, (relation, limit) in TARGETS.items():
        if key in derived:
            met = derived[key] <= limit if relation == "≤" else derived[key] >= limit
            report["targets"][key] = {"value": derived[key], "target": f"{relation} {limit}", "met": met}

    def ratio(key: str, invert: bool = False) -> str:
        a, b = ours[key], reference[key]
        return f"{(b / a if invert else a / b):.2f}×" if a and b else "-"

    rows = [
        ("cold start (spawn → initialize result), median", f"{ours['cold_start_ms']} ms", f"{reference['cold_start_ms']} ms", ratio("cold_start_ms")),
        (f"tools/list ({ours['tools_listed']} vs {reference['tools_listed']} tools), median", f"{ours['tools_list_ms']} ms", f"{reference['tools_list_ms']} ms", ratio("tools_list_ms")),
        (f"tools/call p50 ({options.calls} sequential)", f"{ours['call_p50_ms']} ms", f"{reference['call_p50_ms']} ms", ratio("call_p50_ms")),
        (f"tools/call p99 ({options.calls} sequential)", f"{ours['call_p99_ms']} ms", f"{reference['call_p99_ms']} ms", ratio("call_p99_ms")),
        (f"pipelined throughput ({options.calls} calls)", f"{ours['throughput_calls_per_s']}/s", f"{reference['throughput_calls_per_s']}/s", ratio("throughput_calls_per_s")),
        (f"peak RSS after {ours['calls_made']} calls", f"{ours['peak_rss_mb']} MB", f"{reference['peak_rss_mb']} MB", ratio("peak_rss_mb")),
        ("  then: private (anonymous) / file-backed", f"{ours['rss_anonymous_mb']} / {ours['rss_file_mb']} MB", f"{reference['rss_anonymous_mb']} / {reference['rss_file_mb']} MB", ""),
        ("same GET, keep-alive URLSession (floor) p50 / p99", f"{floor['p50_ms']:.3f} / {floor['p99_ms']:.3f} ms", "", ""),
    ]
    if free_calls is not None:
        rows.append((f"RSS after {free_calls['calls']:,} free calls, one process (peak)", f"{free_calls['rss_mb']} ({free_calls['peak_rss_mb']}) MB", "", ""))
    rows.append(("shipped binary (scripts/build: static runtime, stripped)", f"{derived['binary_bytes']:,} B", "", ""))
    width = max(len(row[0]) for row in rows)
    print(f"\nmedians over {options.rounds} alternating round(s); cold start over {options.cold_starts}")
    print(f"{'':{width}}  {'social-data-mcp':>16}  {'python mcp SDK':>16}  {'ratio':>7}")
    for label, a, b, r in rows:
        print(f"{label:{width}}  {a:>16}  {b:>16}  {r:>7}")
    print(f"\nserver overhead per call over the floor: {derived['server_overhead_p50_ms']} ms (p50 {derived['call_p50_over_floor']}× the floor); binary {derived['binary_mb']} MB"
          + (f"; clean release build {derived['release_build_s']} s" if "release_build_s" in derived else ""))
    if swift_sdk:
        free = results["social-data-mcp free"]
        print(f"\nbeside the official Swift MCP SDK (Benchmarks/swift-sdk: the same GET with URLSession, no ledger), same rounds")
        print(f"{'':{width}}  {'pipelined':>16}  {'p50':>16}  {'× Swift SDK':>11}")
        for label, row in (("social-data-mcp paid (datanexus_get_author, empty ledger)", ours),
                           ("social-data-mcp free (datanexus_list_platforms)", free),
                           ("Swift SDK server (datanexus_get_author)", swift_sdk)):
            print(f"{label:{width}}  {str(row['throughput_calls_per_s']) + '/s':>16}  {str(row['call_p50_ms']) + ' ms':>16}"
                  f"  {row['throughput_calls_per_s'] / swift_sdk['throughput_calls_per_s']:>10.2f}×")
        print(f"paid/free: p50 {derived['paid_over_free_p50']}×, pipelined {derived['paid_over_free_throughput']}×; "
              f"Swift SDK cold start {swift_sdk.get('cold_start_ms')} ms, peak RSS {swift_sdk['peak_rss_mb']} MB")
    else:
        print(f"\nbeside the official Swift MCP SDK: skipped ({options.swift_sdk_skipped})")
    for key, target in report["targets"].items():
        print(f"  {'met ' if target['met'] else 'MISS'}  {key} = {target['value']} (target {target['target']})")
    os.makedirs(os.path.dirname(options.output), exist_ok=True)
    with open(options.output, "w", encoding="utf-8") as out:
        json.dump(report, out, indent=2, ensure_ascii=False)
    print(f"\nwritten to {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
