#!/usr/bin/env python3
"""RSS of the server after N free tool calls over stdio against the loopback stand-in.

usage: rss_free_calls.py SERVER_BINARY STANDIN_BINARY [CALLS] [IN_FLIGHT]
Prints one JSON line: RSS (VmRSS) and peak (VmHWM) after start, after the calls, and after
a second equal batch, in MB.
"""
import json, os, subprocess, sys, tempfile

server_bin, standin_bin = sys.argv[1], sys.argv[2]
calls = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
window = int(sys.argv[4]) if len(sys.argv) > 4 else 50

standin = subprocess.Popen([standin_bin, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
announcement = json.loads(standin.stdout.readline())
state = tempfile.mkdtemp(prefix="rss-free-calls-")
env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": state, "SOCIAL_DATA_MCP_STATE_DIR": state,
       "SOCIAL_DATA_MCP_CACHE_TTL": "0", "DATANEXUS_API_KEY": "dn_live_rss_probe"}
env.update(announcement["base_urls"])
server = subprocess.Popen([server_bin], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, env=env)


def send(message):
    server.stdin.write((json.dumps(message) + "\n").encode())


def memory():
    fields = {}
    with open(f"/proc/{server.pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, value = line.split(":")
                fields[name] = round(int(value.split()[0]) / 1024, 1)
    return fields


send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
      "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "rss", "version": "1"}}})
server.stdin.flush()
server.stdout.readline()
send({"jsonrpc": "2.0", "method": "notifications/initialized"})
next_id = 1


def batch(count):
    global next_id
    errors = 0
    sent = received = 0
    while received < count:
        while sent < count and sent - received < window:
            send({"jsonrpc": "2.0", "id": next_id, "method": "tools/call",
                  "params": {"name": "datanexus_list_platforms", "arguments": {}}})
            next_id += 1
            sent += 1
        server.stdin.flush()
        reply = json.loads(server.stdout.readline())
        if "id" in reply:
            received += 1
            if reply.get("result", {}).get("isError"):
                errors += 1
    return errors


report = {"calls": calls, "in_flight": window, "start": memory()}
report["errors_first"] = batch(calls)
report["after_first"] = memory()
report["errors_second"] = batch(calls)
report["after_second"] = memory()
print(json.dumps(report))
server.stdin.close()
server.wait()
standin.stdin.close()
standin.wait()
