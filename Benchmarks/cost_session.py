#!/usr/bin/env python3
"""What the cache and the spend ceiling save in a scripted agent session.

The same session of repeated and parallel calls runs four times through the real binary
against the loopback stand-in: cache off or on (SOCIAL_DATA_MCP_CACHE_TTL 0 or 300),
with no ceiling or a ¥20 ceiling (SOCIAL_DATA_MCP_MAX_SPEND_CNY). For each it reports the
requests that reached the provider (the stand-in counts them), the calls refused, the
cache hits and the yuan spent (from social_data_usage).

    cost_session.py --server BIN --standin BIN
"""
import argparse
import json
import os
import tempfile
import subprocess
import sys
import threading

ROUNDS = [
    # An agent asking the same question three times while it thinks.
    [("datanexus_list_authors", {"platform": "xiaohongshu", "keyword": "美妆", "page_size": 20})] * 3,
    # Five parallel lookups, two of them duplicates.
    [("datanexus_get_author", {"platform": "xiaohongshu", "id": author}) for author in ["a1", "a2", "a3", "a1", "a2"]],
    # The brand trend, asked twice.
    [("geo_brand_trend", {"brand_id": "f6c5f69c-1234-4abc-9d77-2b1c0c5fdc8a", "days": 30})] * 2,
    # A loop paging through 10 pages of 100 authors: ¥80 if nothing stops it.
    *[[("datanexus_list_authors", {"platform": "douyin", "keyword": "美食", "page": page, "page_size": 100})] for page in range(1, 11)],
    # The same first page once more.
    [("datanexus_list_authors", {"platform": "douyin", "keyword": "美食", "page": 1, "page_size": 100})],
]


class Client:
    def __init__(self, server: str, environment: dict) -> None:
        self.process = subprocess.Popen([server], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment)
        self.lock = threading.Lock()
        self.next_id = 0
        self.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "cost", "version": "1"}})

    def request(self, method: str, params: dict) -> dict:
        with self.lock:
            self.next_id += 1
            self.process.stdin.write(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params}).encode() + b"\n")
            self.process.stdin.flush()
            return json.loads(self.process.stdout.readline())

    def parallel(self, calls: list) -> list:
        """Sends a round's calls at once, then reads all the answers."""
        with self.lock:
            first = self.next_id + 1
            for offset, (name, arguments) in enumerate(calls):
                message = {"jsonrpc": "2.0", "id": first + offset, "method": "tools/call", "params": {"name": name, "arguments": arguments}}
                self.process.stdin.write(json.dumps(message).encode() + b"\n")
            self.next_id += len(calls)
            self.process.stdin.flush()
            return [json.loads(self.process.stdout.readline()) for _ in calls]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=5)


def run(server: str, standin: str, cache_ttl: str, ceiling: str | None) -> dict:
    stand_in = subprocess.Popen([standin, "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    urls = json.loads(stand_in.stdout.readline())["base_urls"]
    environment = {"PATH": os.environ.get("PATH", "/usr/bin"), "HOME": "/tmp", "SOCIAL_DATA_MCP_CACHE_TTL": cache_ttl,
                   "DATANEXUS_API_KEY": "dn_live_cost_session", "GEO_API_KEY": "0123456789abcdef0123456789abcdef", **urls,
                   # Its own ledger, and only the per-process ceiling under test.
                   "SOCIAL_DATA_MCP_STATE_DIR": tempfile.mkdtemp(prefix="social-data-mcp-cost-"), "SOCIAL_DATA_MCP_DAILY_LIMIT_CNY": "none",
                   "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY": "none"}
    if ceiling:
        environment["SOCIAL_DATA_MCP_MAX_SPEND_CNY"] = ceiling
    client = Client(server, environment)
    refused = 0
    calls = 0
    for round_calls in ROUNDS:
        calls += len(round_calls)
        for answer in client.parallel(round_calls):
            error = (answer.get("result", {}).get("structuredContent") or {}).get("error") or {}
            refused += error.get("kind") == "budget_exceeded"
    usage = client.request("tools/call", {"name": "social_data_usage", "arguments": {}})["result"]["structuredContent"]["data"]["overall"]
    client.close()
    stand_in.stdin.close()
    stand_in.wait(timeout=5)
    return {"tool_calls": calls, "upstream_requests": usage["calls"], "cache_hits": usage["cache_hits"], "refused": refused, "spent_cny": usage["spent_cny"]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--standin", required=True)
    options = parser.parse_args()
    rows = []
    for cache_ttl, ceiling in [("0", None), ("300", None), ("0", "20"), ("300", "20")]:
        label = f"cache {'on ' if cache_ttl != '0' else 'off'}, {'ceiling ¥' + ceiling if ceiling else 'no ceiling'}"
        rows.append((label, run(options.server, options.standin, cache_ttl, ceiling)))
    print(f"{'scripted session':30}  {'tool calls':>10}  {'upstream requests':>17}  {'cache hits':>10}  {'refused':>7}  {'spent':>8}")
    for label, result in rows:
        print(f"{label:30}  {result['tool_calls']:>10}  {result['upstream_requests']:>17}  {result['cache_hits']:>10}  {result['refused']:>7}  ¥{result['spent_cny']:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
