#!/usr/bin/env python3
"""Runs a stdio MCP server and records both directions of its wire, line by line.

    wire_tee.py TRANSCRIPT.jsonl -- COMMAND [ARGS...]

The client talks to this process exactly as it would to COMMAND; every line crossing in
either direction is appended to TRANSCRIPT as {"dir": "in"|"out", "line": ...} for
validate_wire.py. stderr passes through untouched.
"""
import json
import subprocess
import sys
import threading


def main() -> int:
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    transcript = open(sys.argv[1], "a", encoding="utf-8")
    lock = threading.Lock()
    child = subprocess.Popen(sys.argv[3:], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def record(direction: str, raw: bytes) -> None:
        line = raw.rstrip(b"\n").decode("utf-8", errors="replace")
        with lock:
            transcript.write(json.dumps({"dir": direction, "line": line}, ensure_ascii=False) + "\n")
            transcript.flush()

    def pump_in() -> None:
        for raw in sys.stdin.buffer:
            record("in", raw)
            try:
                child.stdin.write(raw)
                child.stdin.flush()
            except BrokenPipeError:
                break
        try:
            child.stdin.close()
        except BrokenPipeError:
            pass

    threading.Thread(target=pump_in, daemon=True).start()
    for raw in child.stdout:
        record("out", raw)
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
    return child.wait()


if __name__ == "__main__":
    sys.exit(main())
