#!/usr/bin/env python3
"""The reference: the same datanexus_get_author tool on the official Python MCP SDK.

An `MCPServer` (the SDK's high-level server, formerly FastMCP) over stdio whose one tool
makes the same keep-alive GET to the same DataNexus stand-in that social-data-mcp makes.
"""
import os

import httpx2 as httpx
from mcp.server.mcpserver import MCPServer

BASE = os.environ["DATANEXUS_BASE_URL"]
KEY = os.environ["DATANEXUS_API_KEY"]
client = httpx.AsyncClient(base_url=BASE, headers={"X-API-Key": KEY}, timeout=30)
server = MCPServer("reference-datanexus")


@server.tool()
async def datanexus_get_author(platform: str, id: str) -> dict:
    """Get one author's profile by account id on a platform. Price: ¥0.08 per item."""
    response = await client.get(f"/api/v1/platforms/{platform}/authors/{id}")
    body = response.json()
    if not body.get("success"):
        raise RuntimeError(body.get("error", response.text))
    return body["data"]


if __name__ == "__main__":
    server.run("stdio")
