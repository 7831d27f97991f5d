#!/usr/bin/env python3
"""Feeds the real server hostile input through its real stdin and checks it holds up.

    fuzz_stdio.py [--seed N] [--count N] [--seconds S] [--big-lines N] [--wire-dir DIR] [--results FILE]

Inputs, drawn from a seeded generator so a run can be repeated: random bytes, invalid
UTF-8, truncated JSON, lines of tens of MB, deeply nested JSON, wrong types for every field
of every method, ids of every JSON type, duplicate ids, notifications with ids, requests
without "jsonrpc", huge arguments, both protocol eras, all interleaved with valid calls.

Invariants checked:
- the process never dies;
- every request with a valid id gets exactly one response with that id;
- every valid call interleaved with the garbage succeeds;
- every output line is a JSON-RPC message (validate_wire.py then checks it against the
  schema of its era, from the transcript written to DIR);
- memory stays bounded: peak RSS after the long lines stays under --max-rss-mb.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

from standin import StandIn, binary, server_environment

MODERN_META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
METHODS = ["initialize", "ping", "tools/list", "tools/call", "server/discover", "logging/setLevel", "resources/list", "nope"]
FIELDS = {
    "initialize": ["protocolVersion", "capabilities", "clientInfo"],
    "tools/list": ["cursor", "_meta"],
    "tools/call": ["name", "arguments", "_meta"],
    "server/discover": ["_meta"],
    "logging/setLevel": ["level"],
    "ping": ["_meta"],
}
INT64 = 2**63


class Server:
    def __init__(self, environment: dict, transcript: str) -> None:
        self.process = subprocess.Popen([binary("social-data-mcp")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment)
        self.lines: list[bytes] = []
        self.messages: list = []  # parsed output, None for a line that is not JSON
        self.response_counts: dict[str, int] = {}  # responses by id (as JSON text)
        self.condition = threading.Condition()
        self.transcript = open(transcript, "w", encoding="utf-8")
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for raw in self.process.stdout:
            try:
                message = json.loads(raw)
            except ValueError:
                message = None
            with self.condition:
                self.lines.append(raw)
                self.messages.append(message)
                if isinstance(message, dict) and "method" not in message and "id" in message:
                    key = json.dumps(message["id"])
                    self.response_counts[key] = self.response_counts.get(key, 0) + 1
                self.transcript.write(json.dumps({"dir": "out", "line": raw.rstrip(b"\n").decode("utf-8", "replace")}) + "\n")
                self.condition.notify_all()

    def send(self, data: bytes) -> None:
        with self.condition:
            for piece in data.split(b"\n"):
                if piece and len(piece) < 1_000_000:
                    self.transcript.write(json.dumps({"dir": "in", "line": piece.decode("utf-8", "replace")}) + "\n")
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def wait_for(self, predicate, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.condition:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self.condition.wait(remaining)
            return True

    def peak_rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status", encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0


class Fuzzer:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.next_id = 1
        self.expected: dict[str, int] = {}  # id (as JSON text) -> responses owed
        self.valid_calls: list[str] = []  # ids of calls that must succeed
        self.counts: dict[str, int] = {}

    def fresh_id(self):
        self.next_id += 1
        return self.next_id if self.random.random() < 0.5 else f"fz-{self.next_id}"

    def owe(self, identifier) -> None:
        key = json.dumps(identifier)
        self.expected[key] = self.expected.get(key, 0) + 1

    def line(self, message) -> bytes:
        return json.dumps(message, ensure_ascii=self.random.random() < 0.5).encode() + b"\n"

    def junk_value(self, depth: int = 0):
        choice = self.random.randrange(9 if depth < 3 else 6)
        makers = [
            lambda: None, lambda: True, lambda: self.random.randint(-10**6, 10**6), lambda: self.random.random() * 1e6,
            lambda: "".join(chr(self.random.randrange(32, 0x3000)) for _ in range(self.random.randrange(8))), lambda: "",
            lambda: [self.junk_value(depth + 1) for _ in range(2)], lambda: {"k": self.junk_value(depth + 1)},
            lambda: {"name": self.junk_value(depth + 1)},
        ]
        return makers[choice]()

    # Each generator returns the bytes to send and records what it expects.
    def random_bytes(self) -> bytes:
        data = bytes(self.random.randrange(256) for _ in range(self.random.randrange(1, 300)))
        return data + b"\n"

    def invalid_utf8(self) -> bytes:
        identifier = self.fresh_id()
        # Not valid UTF-8, so not JSON: a parse error with a null id, nothing owed to this id.
        return b'{"jsonrpc":"2.0","id":' + json.dumps(identifier).encode() + b',"method":"ping","params":{"x":"\xff\xfe\xc3"}}\n'

    def truncated(self) -> bytes:
        message = self.line({"jsonrpc": "2.0", "id": self.fresh_id(), "method": "tools/call", "params": {"name": "social_data_usage", "arguments": {}}})
        return message[: self.random.randrange(1, len(message) - 2)] + b"\n"

    def nested(self) -> bytes:
        depth = self.random.choice([300, 5_000, 60_000])
        return (b"[" * depth + b"]" * depth) if self.random.random() < 0.5 else (b'{"a":' * depth + b"1" + b"}" * depth)

    def nested_line(self) -> bytes:
        return self.nested() + b"\n"

    def wrong_types(self) -> bytes:
        method = self.random.choice(list(FIELDS))
        params = {field: self.junk_value() for field in FIELDS[method] if self.random.random() < 0.8}
        if self.random.random() < 0.3:
            params["_meta"] = dict(MODERN_META, **{"io.modelcontextprotocol/protocolVersion": self.junk_value()})
        identifier = self.fresh_id()
        self.owe(identifier)
        return self.line({"jsonrpc": "2.0", "id": identifier, "method": method, "params": params if self.random.random() < 0.9 else self.junk_value()})

    def odd_ids(self) -> bytes:
        identifier = self.random.choice([None, True, False, 1.5, -0.0, {}, [], [1], 2**70, "", "字", -7, 0])
        message = {"jsonrpc": "2.0", "id": identifier, "method": "ping"}
        if isinstance(identifier, str) or (isinstance(identifier, int) and not isinstance(identifier, bool) and abs(identifier) < INT64):
            self.owe(identifier)
        return self.line(message)

    def duplicate_ids(self) -> bytes:
        identifier = self.fresh_id()
        self.owe(identifier)
        self.owe(identifier)
        slow = {"jsonrpc": "2.0", "id": identifier, "method": "tools/call", "params": {"name": "datanexus_list_works", "arguments": {"platform": "douyin", "page_size": 100}}}
        return self.line(slow) + self.line({"jsonrpc": "2.0", "id": identifier, "method": "ping"})

    def notification_with_id(self) -> bytes:
        identifier = self.fresh_id()
        self.owe(identifier)
        return self.line({"jsonrpc": "2.0", "id": identifier, "method": self.random.choice(["notifications/initialized", "notifications/cancelled", "notifications/progress"])})

    def no_jsonrpc(self) -> bytes:
        identifier = self.fresh_id()
        self.owe(identifier)
        message = {"id": identifier, "method": self.random.choice(METHODS)}
        if self.random.random() < 0.5:
            message["jsonrpc"] = self.random.choice(["1.0", 2, None, "2.0 "])
        return self.line(message)

    def huge_arguments(self) -> bytes:
        identifier = self.fresh_id()
        self.owe(identifier)
        blob = "美" * self.random.randrange(100_000, 1_500_000)
        return self.line({"jsonrpc": "2.0", "id": identifier, "method": "tools/call", "params": {"name": "datanexus_list_authors", "arguments": {"platform": "douyin", "keyword": blob}}})

    def responses_and_notifications(self) -> bytes:
        # Messages that must never be answered.
        return self.line(self.random.choice([
            {"jsonrpc": "2.0", "id": 999_999_999, "result": {}},
            {"jsonrpc": "2.0", "id": "x", "error": {"code": 1, "message": "m"}},
            {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": self.random.randrange(10**6)}},
            {"jsonrpc": "2.0", "method": "notifications/whatever", "params": self.junk_value()},
        ]))

    def valid_call(self) -> bytes:
        identifier = self.fresh_id()
        self.owe(identifier)
        self.valid_calls.append(json.dumps(identifier))
        modern = self.random.random() < 0.5
        kind = self.random.randrange(4)
        if kind == 0:
            message = {"jsonrpc": "2.0", "id": identifier, "method": "tools/list", "params": {}}
        elif kind == 1:
            message = {"jsonrpc": "2.0", "id": identifier, "method": "tools/call", "params": {"name": "social_data_usage", "arguments": {}}}
        elif kind == 2:
            message = {"jsonrpc": "2.0", "id": identifier, "method": "tools/call", "params": {"name": "datanexus_get_author", "arguments": {"platform": "douyin", "id": str(self.next_id)}}}
        else:
            message = {"jsonrpc": "2.0", "id": identifier, "method": "server/discover", "params": {}}
            modern = True
        if modern:
            message["params"]["_meta"] = dict(MODERN_META)
        return self.line(message)

    def big_line(self, megabytes: int) -> bytes:
        identifier = self.fresh_id()
        self.owe(identifier)  # the id is at the start, so the oversized-line error carries it
        head = b'{"jsonrpc":"2.0","id":' + json.dumps(identifier).encode() + b',"method":"tools/call","params":{"name":"x","arguments":{"blob":"'
        return head + b"A" * (megabytes << 20) + b'"}}}\n'

    GENERATORS = [
        "random_bytes", "invalid_utf8", "truncated", "nested_line", "wrong_types", "odd_ids", "duplicate_ids",
        "notification_with_id", "no_jsonrpc", "huge_arguments", "responses_and_notifications", "valid_call",
    ]
    WEIGHTS = [10, 6, 10, 2, 25, 10, 3, 5, 8, 1, 8, 20]

    def next_input(self) -> bytes:
        name = self.random.choices(self.GENERATORS, self.WEIGHTS)[0]
        self.counts[name] = self.counts.get(name, 0) + 1
        return getattr(self, name)()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--big-lines", type=int, default=2, help="lines of 20 MB to send")
    parser.add_argument("--max-rss-mb", type=float, default=120)
    parser.add_argument("--wire-dir", default=tempfile.mkdtemp(prefix="fuzz-wire-"))
    parser.add_argument("--results")
    options = parser.parse_args()
    os.makedirs(options.wire_dir, exist_ok=True)
    fuzzer = Fuzzer(options.seed)
    problems: list[str] = []
    with StandIn() as stand_in:
        server = Server(server_environment(stand_in, SOCIAL_DATA_MCP_CACHE_TTL="0", SOCIAL_DATA_MCP_DAILY_LIMIT_CNY="none", SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY="none"), os.path.join(options.wire_dir, f"fuzz-{options.seed}.jsonl"))
        initialize = {"jsonrpc": "2.0", "id": "init", "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "fuzz", "version": "1"}}}
        fuzzer.owe("init")
        server.send(fuzzer.line(initialize))
        started = time.monotonic()
        big_every = max(1, options.count // (options.big_lines + 1)) if options.big_lines else 0
        sent = 0
        while sent < options.count and time.monotonic() - started < options.seconds:
            if big_every and sent and sent % big_every == 0 and fuzzer.counts.get("big_line", 0) < options.big_lines:
                fuzzer.counts["big_line"] = fuzzer.counts.get("big_line", 0) + 1
                server.send(fuzzer.big_line(20))
            server.send(fuzzer.next_input())
            sent += 1
            if server.process.poll() is not None:
                problems.append(f"the server died after {sent} inputs with status {server.process.returncode}")
                break
        # A final request, then everything owed must arrive.
        fuzzer.owe("last")
        server.send(fuzzer.line({"jsonrpc": "2.0", "id": "last", "method": "ping"}))

        def responses() -> dict:
            return dict(server.response_counts)

        server.wait_for(lambda: all(server.response_counts.get(key, 0) >= owed for key, owed in fuzzer.expected.items()), timeout=60)
        time.sleep(0.5)  # anything extra (a duplicate answer) would arrive now
        peak = server.peak_rss_mb()
        alive = server.process.poll() is None
        if not alive and not problems:
            problems.append(f"the server died with status {server.process.returncode}")
        received = responses()
        for key, owed in fuzzer.expected.items():
            if received.get(key, 0) != owed:
                problems.append(f"id {key}: {received.get(key, 0)} responses for {owed} request(s)")
        for key, count in received.items():
            if key != "null" and key not in fuzzer.expected:
                problems.append(f"id {key}: {count} unexpected response(s)")
        by_id = {}
        malformed = 0
        for message in server.messages:
            if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
                malformed += 1
            elif "method" not in message:
                by_id.setdefault(json.dumps(message.get("id")), []).append(message)
        if malformed:
            problems.append(f"{malformed} output line(s) are not JSON-RPC messages")
        failed_valid = [key for key in fuzzer.valid_calls if not any("result" in m and not m["result"].get("isError") for m in by_id.get(key, []))]
        if failed_valid:
            problems.append(f"{len(failed_valid)} valid call(s) interleaved with the garbage failed, e.g. {by_id.get(failed_valid[0])}")
        if peak > options.max_rss_mb:
            problems.append(f"peak RSS {peak:.1f} MB is over {options.max_rss_mb} MB")
        server.process.stdin.close()
        try:
            status = server.process.wait(timeout=3)
            if status != 0:
                problems.append(f"exit status {status} after stdin closed")
        except subprocess.TimeoutExpired:
            problems.append("did not exit within 3 s of stdin closing")
            server.process.kill()
        server.reader.join(timeout=2)
        server.transcript.close()
    elapsed = time.monotonic() - started
    total = sum(fuzzer.counts.values())
    print(f"fuzz: seed {options.seed}, {total} inputs in {elapsed:.1f} s ({', '.join(f'{k} {v}' for k, v in sorted(fuzzer.counts.items()))})")
    print(f"fuzz: {len(server.lines)} output lines, {sum(fuzzer.expected.values())} responses owed, peak RSS {peak:.1f} MB, {len(problems)} problem(s)")
    for problem in problems[:20]:
        print("  FAIL " + problem)
    if options.results:
        with open(options.results, "w", encoding="utf-8") as out:
            json.dump({"seed": options.seed, "inputs": total, "by_kind": fuzzer.counts, "peak_rss_mb": round(peak, 1), "problems": problems}, out, indent=2)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
