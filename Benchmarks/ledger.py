#!/usr/bin/env python3
"""What the durable spend ledger costs, measured through the real binary.

For 0, 10,000 and 100,000 events already in this month's ledger file (state on the
ordinary disk, under the work tree's .build folder, never /tmp, since fsync costs what
the filesystem makes it cost):

1. Sequential latency: the median of paid calls (datanexus_get_author: a hold written and
   fsynced before the request, a settle after) and of the same-shaped free call
   (datanexus_list_platforms, which never touches the ledger), in alternating rounds in
   one process, against the loopback stand-in.
2. Pipelined throughput: a burst of calls written at once, calls per second until the
   last answer, paid and free.
3. The first paid call of a new process (after `initialize`), with the checkpoint the
   previous process left and without one (a full scan of the month).

Usage: Benchmarks/ledger.py --server PATH --standin PATH [--calls N] [--burst N] [--runs N] [--events 0,10000,100000] [--output FILE]
"""
import argparse
import json
import os
import shutil
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

    def timed_calls(self, name: str, arguments, calls: int) -> list:
        times = []
        for index in range(calls):
            started = time.perf_counter()
            reply = self.request("tools/call", {"name": name, "arguments": arguments(index)})
            times.append((time.perf_counter() - started) * 1000)
            if reply.get("result", {}).get("isError"):
                raise RuntimeError(f"{name} failed: {json.dumps(reply)[:300]}")
        return times

    def burst(self, name: str, arguments, calls: int) -> float:
        """Calls per second for `calls` requests written at once."""
        lines = []
        for index in range(calls):
            self.next_id += 1
            lines.append(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": "tools/call", "params": {"name": name, "arguments": arguments(index)}}))
        started = time.perf_counter()
        self.process.stdin.write(("\n".join(lines) + "\n").encode())
        self.process.stdin.flush()
        answered = 0
        while answered < calls:
            message = json.loads(self.process.stdout.readline())
            if "id" in message:
                if message.get("result", {}).get("isError"):
                    raise RuntimeError(f"{name} failed: {json.dumps(message)[:300]}")
                answered += 1
        return calls / (time.perf_counter() - started)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def fill(state: str, events: int) -> str:
    """A month file of `events` events (holds and their settles) of another process."""
    os.makedirs(os.path.join(state, "ledger"), exist_ok=True)
    now = int(time.time() * 1000)
    lines = []
    for index in range(events // 2):
        event_id = f"1-1-{index}"
        base = {"id": event_id, "pid": 1, "provider": "datanexus", "tool": "datanexus_list_works", "cur": "cny"}
        lines.append(json.dumps(dict(base, e="hold", t=now - 100_000 + index, args="0123456789abcdef", units=16), separators=(",", ":")))
        lines.append(json.dumps(dict(base, e="settle", t=now - 100_000 + index, units=1, items=1, failed=False), separators=(",", ":")))
    month = os.path.join(state, "ledger", time.strftime("%Y-%m.jsonl", time.localtime()))
    with open(month, "w", encoding="utf-8") as out:
        out.write("".join(line + "\n" for line in lines))
    return month


def environment_for(state: str, base: str) -> dict:
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": state, "DATANEXUS_BASE_URL": base, "DATANEXUS_API_KEY": "dn_live_ledger_bench",
            "SOCIAL_DATA_MCP_STATE_DIR": state, "SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "1000000", "SOCIAL_DATA_MCP_CACHE_TTL": "0"}


PAID = ("datanexus_get_author", lambda index: {"platform": "douyin", "id": f"a{index}"})
FREE = ("datanexus_list_platforms", lambda index: {"platform": "douyin"})


def first_call_ms(server: str, environment: dict, runs: int, tool=PAID) -> float:
    """The first call of `tool` in a new process, after `initialize`."""
    times = []
    for run in range(runs):
        session = Session(server, environment)
        started = time.perf_counter()
        session.request("tools/call", {"name": tool[0], "arguments": tool[1](run)})
        times.append((time.perf_counter() - started) * 1000)
        session.close()
    return statistics.median(times)


def measure(server: str, base: str, root: str, events: int, calls: int, burst: int, runs: int) -> dict:
    state = tempfile.mkdtemp(prefix=f"ledger-{events}-", dir=root)
    month = fill(state, events)
    environment = environment_for(state, base)
    session = Session(server, environment)
    session.timed_calls(*PAID, 20)  # warm up: connection, price list, the ledger's first load
    session.timed_calls(*FREE, 20)
    paid_times, free_times = [], []
    for _ in range(3):  # alternating rounds, so a noisy moment hits both
        paid_times += session.timed_calls(*PAID, calls)
        free_times += session.timed_calls(*FREE, calls)
    paid_rates, free_rates = [], []
    for _ in range(3):
        paid_rates.append(session.burst(*PAID, burst))
        free_rates.append(session.burst(*FREE, burst))
    session.close()
    paid_p50, free_p50 = statistics.median(paid_times), statistics.median(free_times)
    result = {"events": events, "paid_p50_ms": round(paid_p50, 3), "free_p50_ms": round(free_p50, 3), "paid_over_free_p50": round(paid_p50 / free_p50, 2),
              "paid_per_s": round(statistics.median(paid_rates)), "free_per_s": round(statistics.median(free_rates)),
              "paid_over_free_throughput": round(statistics.median(paid_rates) / statistics.median(free_rates), 2)}
    # The previous process left its checkpoint: a new one reads only the tail.
    result["first_paid_call_ms"] = round(first_call_ms(server, environment, runs), 2)
    # The same first call's cost without the ledger: process warm-up.
    result["first_free_call_ms"] = round(first_call_ms(server, environment, runs, FREE), 2)
    if events >= 100_000:
        # Without it (an older version's ledger, a damaged checkpoint): the month in full.
        for name in os.listdir(os.path.dirname(month)):
            if name.endswith(".checkpoint"):
                os.remove(os.path.join(os.path.dirname(month), name))
        started = time.perf_counter()
        cold = Session(server, environment)
        cold.request("tools/call", {"name": PAID[0], "arguments": {"platform": "douyin", "id": "cold"}})
        result["first_paid_call_full_scan_ms"] = round((time.perf_counter() - started) * 1000, 2)
        cold.close()
    shutil.rmtree(state, ignore_errors=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--standin", required=True)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--burst", type=int, default=400)
    parser.add_argument("--events", default="0,10000,100000")
    parser.add_argument("--runs", type=int, default=5, help="new processes timed for the first paid call")
    parser.add_argument("--output", default=os.path.join(HERE, "results", "ledger.json"))
    options = parser.parse_args()
    root = os.path.join(HERE, "..", ".build", "ledger-bench")
    os.makedirs(root, exist_ok=True)
    standin = subprocess.Popen([options.standin, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    base = json.loads(standin.stdout.readline())["base_urls"]["DATANEXUS_BASE_URL"]
    try:
        rows = [measure(options.server, base, root, int(events), options.calls, options.burst, options.runs) for events in options.events.split(",")]
    finally:
        standin.stdin.close()
        standin.wait(timeout=10)
    for row in rows:
        line = (f"ledger: {row['events']:>7} events: paid p50 {row['paid_p50_ms']} ms, free {row['free_p50_ms']} ms ({row['paid_over_free_p50']}×);"
                f" pipelined paid {row['paid_per_s']}/s, free {row['free_per_s']}/s ({row['paid_over_free_throughput']}×)")
        line += f"; first paid call of a new process {row['first_paid_call_ms']} ms (first free call {row['first_free_call_ms']} ms)"
        if "first_paid_call_full_scan_ms" in row:
            line += f", without a checkpoint {row['first_paid_call_full_scan_ms']} ms"
        print(line)
    os.makedirs(os.path.dirname(options.output), exist_ok=True)
    with open(options.output, "w", encoding="utf-8") as out:
        json.dump({"date": time.strftime("%Y-%m-%d %H:%M"), "rows": rows}, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
