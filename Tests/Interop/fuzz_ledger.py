#!/usr/bin/env python3
"""Feeds the real binary's ledger scanner random and mutated ledger lines.

    fuzz_ledger.py [--seed N] [--rounds N] [--lines N]

Each round writes a month file of valid ledger lines, mutated ones (bytes changed,
truncated, amounts near Int64.max, negative, 1e300, fractions, escapes, nesting) and
random bytes, sometimes a damaged checkpoint beside it, then runs `usage --format json`,
`usage`, `doctor` and one paid call (datanexus_get_author against the stand-in).

Valid lines sometimes name a team member (`"member"`), and mutations put escapes and JSON
into it. Invariants: no command dies of a signal; `usage`, `usage --by member` and `doctor`
exit 0; `usage --format json` is JSON whose spend is never negative; `usage --by member
--format json` has no negative spend and its members add up to its total; the paid call
answers (a result or a refusal).
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from standin import StandIn, binary, server_environment


def valid_lines(rng: random.Random, now: int) -> list:
    lines = []
    for index in range(rng.randint(1, 40)):
        event_id = f"{rng.randint(1, 99999)}-{now}-{index}"
        base = {"id": event_id, "pid": rng.randint(1, 4_000_000), "t": now - rng.randint(0, 86_400_000), "provider": "datatrust",
                "tool": "datatrust_get_model", "cur": rng.choice(["cny", "credits"])}
        # A team member's call names them; a stdio call (and every line written before
        # members existed) has no member.
        member = rng.choice([None, "alice", "bob.s@team", "x" * 64])
        if member:
            base["member"] = member
        lines.append(json.dumps(dict(base, e="hold", units=rng.randint(0, 100_000), ps=rng.randint(0, 10**9), basis="documented")))
        if rng.random() < 0.7:
            lines.append(json.dumps(dict(base, e=rng.choice(["settle", "release", "clear"]), units=rng.randint(0, 100_000), items=1, failed=False)))
    return lines


HOSTILE_NUMBERS = ["9223372036854775807", "9223372036854775808", "-9223372036854775808", "-1", "1e300", "-1e300", "0.5", "1E15", "NaN", '"7"', "null", "[]", "{}"]


def mutate(rng: random.Random, line: str) -> bytes:
    data = bytearray(line.encode())
    kind = rng.randrange(6)
    if kind == 0 and data:
        for _ in range(rng.randint(1, 5)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif kind == 1:
        data = data[: rng.randrange(len(data) + 1)]
    elif kind == 2:
        for key in ["units", "t", "pid", "items", "balance_units", "ps"]:
            data = bytearray(line.replace(f'"{key}": ', f'"{key}": {rng.choice(HOSTILE_NUMBERS)}, "x{key}": ').encode())
    elif kind == 3:
        data = bytearray(line.replace('"tool": "', '"tool": "\\u00e9\\n\\"').replace('"member": "', '"member": "\\"},{\\u0000').encode())
    elif kind == 4:
        data = bytearray(line.replace("{", '{"nest": ' + "[" * rng.randint(1, 300) + "]" * rng.randint(0, 300) + ", ", 1).encode())
    else:
        data = bytearray(rng.randbytes(rng.randint(0, 200)))
    return bytes(b for b in data if b != 0x0A)


def run(arguments: list, environment: dict, stdin: bytes = b"") -> subprocess.CompletedProcess:
    result = subprocess.run([binary("social-data-mcp")] + arguments, env=environment, input=stdin, capture_output=True, timeout=60)
    if result.returncode < 0:
        raise SystemExit(f"{' '.join(arguments) or 'serve'} died of signal {-result.returncode}: {result.stderr[-2000:]!r}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--lines", type=int, default=400)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    now = int(time.time() * 1000)
    month = time.strftime("%Y-%m", time.localtime())
    call = b"".join(json.dumps(message).encode() + b"\n" for message in [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "fuzz-ledger", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "datanexus_get_author", "arguments": {"platform": "douyin", "id": "a1"}}},
    ])
    with StandIn() as stand_in:
        for round_number in range(options.rounds):
            environment = server_environment(stand_in, SOCIAL_DATA_MCP_DAILY_LIMIT_CNY="50")
            state = environment["SOCIAL_DATA_MCP_STATE_DIR"]
            os.makedirs(os.path.join(state, "ledger"), exist_ok=True)
            lines = []
            while len(lines) < options.lines:
                for line in valid_lines(rng, now):
                    lines.append(mutate(rng, line) if rng.random() < 0.5 else line.encode())
            with open(os.path.join(state, "ledger", f"{month}.jsonl"), "wb") as out:
                out.write(b"\n".join(lines) + (b"\n" if rng.random() < 0.8 else b""))
            if rng.random() < 0.3:
                with open(os.path.join(state, "ledger", f"{month}.checkpoint"), "wb") as out:
                    out.write(mutate(rng, json.dumps({"v": rng.choice([1, 2]), "tz": "UTC", "files": [], "days": {}, "months": {}, "largest": {}, "open": [], "member_days": {"alice": {}}, "member_months": {}})))
            report = run(["usage", "--format", "json"], environment)
            assert report.returncode == 0, report.stderr
            parsed = json.loads(report.stdout)
            spent = parsed["limits"]["daily_cny"]["spent"]
            assert spent >= 0, f"round {round_number}: negative spend {spent}"
            assert run(["usage"], environment).returncode == 0
            by_member = run(["usage", "--by", "member", "--format", "json"], environment)
            assert by_member.returncode == 0, by_member.stderr
            rows = json.loads(by_member.stdout)["members"]
            assert all(row["spent_cny"] >= 0 and row["spent_credits"] >= 0 for row in rows), f"round {round_number}: negative member spend"
            total = json.loads(by_member.stdout)["total"]
            assert abs(sum(row["spent_cny"] for row in rows) - total["spent_cny"]) < 1e-6, f"round {round_number}: members do not add up to the total"
            assert run(["usage", "--by", "member", "--format", "csv"], environment).returncode == 0
            assert run(["doctor"], environment).returncode in (0, 1)
            served = run([], environment, call)
            answers = [json.loads(line) for line in served.stdout.splitlines() if line.strip()]
            assert any(answer.get("id") == 2 for answer in answers), f"round {round_number}: no answer to the paid call"
            shutil.rmtree(state, ignore_errors=True)
    print(f"fuzz_ledger: {options.rounds} rounds of {options.lines} lines, seed {options.seed}: no crash")
    return 0


if __name__ == "__main__":
    sys.exit(main())
