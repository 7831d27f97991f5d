"""Starts the Swift loopback stand-in for the five providers and returns its base URLs."""
import json
import os
import tempfile
import subprocess
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def binary(name: str) -> str:
    """A built product: SOCIAL_DATA_MCP_BIN_DIR, else .build/debug."""
    directory = os.environ.get("SOCIAL_DATA_MCP_BIN_DIR", os.path.join(ROOT, ".build", "debug"))
    return os.path.join(directory, name)


class StandIn:
    """The stand-in process; use as a context manager."""

    def __enter__(self) -> "StandIn":
        self.process = subprocess.Popen([binary("social-data-standin"), "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        announcement = json.loads(self.process.stdout.readline())
        self.port = announcement["port"]
        self.base_urls = announcement["base_urls"]
        return self

    def requests(self, path: str = "") -> int:
        """How many requests the stand-in received whose path contains `path`."""
        query = urllib.parse.urlencode({"path": path})
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__standin/requests?{query}", timeout=10) as answer:
            return json.loads(answer.read())["count"]

    def author_requests(self) -> int:
        """DataNexus author look-ups received."""
        return self.requests("author")

    def __exit__(self, *exc) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=5)


KEYS = {
    "DATANEXUS_API_KEY": "dn_live_interop_secret_0001",
    "GEO_API_KEY": "fedcba9876543210fedcba9876543210",
    "TIKOMNI_API_KEY": "tk_interop_secret_token_0001",
    "TIKOMNI_DOUYIN_COOKIE": "sessionid=interop-cookie-secret-0001",
    "CREATIVAULT_API_KEY": "cv_interop_secret_0001",
    "CREATIVAULT_USER_IDENTITY": "growth@example.com",
    "DATATRUST_API_KEY": "dt_interop_secret_0001",
}


def server_environment(stand_in: StandIn, **extra: str) -> dict:
    """The server's environment: keys, stand-in base URLs, PATH and HOME only."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    # Each server its own ledger: one run's spend never counts against another's limits.
    environment["SOCIAL_DATA_MCP_STATE_DIR"] = tempfile.mkdtemp(prefix="social-data-mcp-state-")
    environment.update(KEYS)
    environment.update(stand_in.base_urls)
    environment.update(extra)
    return environment
