#!/usr/bin/env python3
"""Shows the release binary working: a real MCP session over stdio against the local
stand-in for the five providers (no keys, no network). Standard library only."""
import json
import os
import tempfile
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release")


def main() -> int:
    # Everything the demo creates (its ledger, saved results) lives in this folder, which is
    # removed at the end, however the demo ends.
    with tempfile.TemporaryDirectory(prefix="social-data-mcp-demo-") as state:
        return run(state)


def run(state: str) -> int:
    stand_in = subprocess.Popen([os.path.join(BIN, "social-data-standin"), "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    urls = json.loads(stand_in.stdout.readline())["base_urls"]
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DATANEXUS_API_KEY": "dn_live_demo_key_0000",
        "GEO_API_KEY": "0123456789abcdef0123456789abcdef",
        "SOCIAL_DATA_MCP_MAX_SPEND_CNY": "5",
        # The demo's stand-in spend stays out of the user's own ledger.
        "SOCIAL_DATA_MCP_STATE_DIR": state,
        **urls,
    }
    started = time.perf_counter()
    server = subprocess.Popen([os.path.join(BIN, "social-data-mcp")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment)
    next_id = 0

    def request(method: str, params: dict) -> dict:
        nonlocal next_id
        next_id += 1
        server.stdin.write(json.dumps({"jsonrpc": "2.0", "id": next_id, "method": method, "params": params}).encode() + b"\n")
        server.stdin.flush()
        return json.loads(server.stdout.readline())

    print("social-data-mcp demo: the release binary over stdio, with a local stand-in for the providers and a ¥5 ceiling\n")
    result = request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "demo", "version": "1"}})["result"]
    print(f"→ initialize   ← {result['serverInfo']['name']} {result['serverInfo']['version']}, protocol {result['protocolVersion']}, "
          f"{(time.perf_counter() - started) * 1000:.0f} ms after spawn")
    server.stdin.write(b'{"jsonrpc":"2.0","method":"notifications/initialized"}\n')
    tools = request("tools/list", {})["result"]["tools"]
    print(f"→ tools/list   ← {len(tools)} tools\n")
    calls = [
        ("datanexus_list_authors", {"platform": "xiaohongshu", "keyword": "美妆", "page_size": 5}),
        ("datanexus_list_authors", {"platform": "xiaohongshu", "keyword": "美妆", "page_size": 5}),
        ("geo_brand_trend", {"brand_id": "f6c5f69c-1234-4abc-9d77-2b1c0c5fdc8a", "days": 7}),
        ("datanexus_list_authors", {"platform": "douyin", "page_size": 100, "dry_run": True}),
        ("datanexus_list_authors", {"platform": "douyin", "page_size": 100}),
    ]
    for name, arguments in calls:
        print(f"→ tools/call {name} {json.dumps(arguments, ensure_ascii=False)}")
        result = request("tools/call", {"name": name, "arguments": arguments})["result"]
        text = result["content"][0]["text"].split("\n\nData:")[0]
        for line in text.splitlines():
            print("    " + line)
        print()
    server.stdin.close()
    server.wait(timeout=5)
    stand_in.stdin.close()
    stand_in.wait(timeout=5)
    binary = os.path.join(BIN, "social-data-mcp")
    print(f"The server is {binary}.\nRegister it with your client, for example:\n"
          f"  {binary} install claude-code --sandbox             (sample data, no key)\n"
          f"  {binary} install claude-code --env DATANEXUS_API_KEY   (your key, copied from this shell)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
