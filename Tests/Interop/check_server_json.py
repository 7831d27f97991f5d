#!/usr/bin/env python3
"""Checks the official MCP Registry entry (server.json) that `social-data-mcp registry-entry` writes.

    check_server_json.py --server PATH/TO/social-data-mcp [--dist DIR]

- the binary writes a bundle, then server.json for it; that server.json validates against
  the registry's published schema (schemas/mcp-registry-server-2025-12-11.schema.json,
  byte for byte the file at https://static.modelcontextprotocol.io/schemas/2025-12-11/
  server.schema.json; its SHA-256 is checked here so an edit to it cannot go unnoticed);
- the package is one `mcpb` whose fileSha256 is the bundle's real SHA-256 (hashlib's, not
  the server's own) and whose identifier is the release URL of that file;
- the environment variables are the bundle's settings (manifest.json user_config) with
  isSecret exactly where the bundle marks a setting sensitive, none required;
- a copy with a wrong digest, a long description and a missing version each fail the
  schema (the validator is live, not vacuous);
- with --dist: the server.json that scripts/release wrote validates too, and its digests
  are those of the .mcpb files beside it.
"""
import argparse
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

from jsonschema import Draft7Validator

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "schemas", "mcp-registry-server-2025-12-11.schema.json")
SCHEMA_SHA256 = "3fba09590c99f61735d234822279f4223fab9e300c0a81e81c91ab62a4114de0"
SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"


def fail(message: str) -> None:
    print(f"check_server_json: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def schema_errors(validator: Draft7Validator, entry: dict) -> list[str]:
    return [f"{'/'.join(map(str, error.path)) or '(root)'}: {error.message}" for error in validator.iter_errors(entry)]


def check_entry(validator: Draft7Validator, entry: dict, bundles: dict[str, str], base_url: str) -> None:
    """`bundles` maps each .mcpb's file name to its path."""
    errors = schema_errors(validator, entry)
    if errors:
        fail("server.json does not match the registry schema: " + "; ".join(errors))
    if entry.get("$schema") != SCHEMA_URL:
        fail(f"$schema is {entry.get('$schema')!r}")
    packages = entry.get("packages", [])
    if sorted(package["identifier"] for package in packages) != sorted(f"{base_url}/{name}" for name in bundles):
        fail(f"the packages are {[package['identifier'] for package in packages]}, expected one per bundle under {base_url}")
    for package in packages:
        name = package["identifier"].rsplit("/", 1)[-1]
        path = bundles[name]
        if package["registryType"] != "mcpb" or package["transport"] != {"type": "stdio"}:
            fail(f"{name}: registryType {package['registryType']}, transport {package['transport']}")
        if package["fileSha256"] != sha256(path):
            fail(f"{name}: fileSha256 {package['fileSha256']} is not the file's {sha256(path)}")
        if package.get("version") != entry["version"]:
            fail(f"{name}: package version {package.get('version')} is not the server's {entry['version']}")
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
        if manifest["version"] != entry["version"]:
            fail(f"{name}: the bundle is version {manifest['version']}, the entry {entry['version']}")
        settings = {value[len("${user_config."):-1]: variable for variable, value in manifest["server"]["mcp_config"]["env"].items()}
        expected = {variable: manifest["user_config"][key].get("sensitive", False) for key, variable in settings.items()}
        variables = {variable["name"]: variable for variable in package.get("environmentVariables", [])}
        if set(variables) != set(expected):
            fail(f"{name}: environment variables differ from the bundle's settings: {sorted(set(variables) ^ set(expected))}")
        for variable, sensitive in expected.items():
            if variables[variable].get("isSecret", False) != sensitive:
                fail(f"{name}: {variable} isSecret={variables[variable].get('isSecret')}, the bundle says sensitive={sensitive}")
            if variables[variable].get("isRequired", False):
                fail(f"{name}: {variable} is required; no setting is")
            if not variables[variable].get("description"):
                fail(f"{name}: {variable} has no description")
        for secret in ("DATANEXUS_API_KEY", "TIKOMNI_DOUYIN_COOKIE"):
            if not variables.get(secret, {}).get("isSecret"):
                fail(f"{name}: {secret} is not marked isSecret")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--dist", help="a folder scripts/release wrote (server.json and .mcpb files)")
    options = parser.parse_args()
    options.server = os.path.abspath(options.server)

    if sha256(SCHEMA) != SCHEMA_SHA256:
        fail(f"{SCHEMA} is not the published 2025-12-11 schema (sha256 {sha256(SCHEMA)})")
    with open(SCHEMA, encoding="utf-8") as handle:
        validator = Draft7Validator(json.load(handle), format_checker=Draft7Validator.FORMAT_CHECKER)

    with tempfile.TemporaryDirectory() as work:
        version = subprocess.run([options.server, "--version"], capture_output=True, text=True, check=True).stdout.split()[1]
        bundle = os.path.join(work, f"social-data-mcp-{version}-test.mcpb")
        written = subprocess.run([options.server, "bundle", "--output", bundle], capture_output=True, text=True, cwd=work)
        if written.returncode != 0:
            fail(f"bundle exited {written.returncode}: {written.stderr}")
        base_url = f"https://github.com/example-owner/social-data-mcp/releases/download/v{version}"
        entry_path = os.path.join(work, "server.json")
        made = subprocess.run([options.server, "registry-entry", "--mcpb", bundle, "--base-url", base_url, "--output", entry_path],
                              capture_output=True, text=True, cwd=work)
        if made.returncode != 0:
            fail(f"registry-entry exited {made.returncode}: {made.stderr}")
        with open(entry_path, encoding="utf-8") as handle:
            entry = json.load(handle)
        check_entry(validator, entry, {os.path.basename(bundle): bundle}, base_url)
        if entry["name"] != "io.github.example-owner/social-data-mcp":
            fail(f"name {entry['name']} was not derived from the release URL's repository")
        if entry["repository"] != {"url": "https://github.com/example-owner/social-data-mcp", "source": "github"}:
            fail(f"repository is {entry['repository']}")

        # The validator must reject what the registry rejects.
        broken = [
            ("a digest that is not hex", lambda e: e["packages"][0].update(fileSha256="not-a-digest")),
            ("a description over 100 characters", lambda e: e.update(description="x" * 101)),
            ("no version", lambda e: e.pop("version")),
        ]
        for what, mutate in broken:
            copy = json.loads(json.dumps(entry))
            mutate(copy)
            if not schema_errors(validator, copy):
                fail(f"the schema accepted an entry with {what}")
        checked = 1

    if options.dist:
        bundles = {os.path.basename(path): path for path in glob.glob(os.path.join(options.dist, "*.mcpb"))}
        if not bundles:
            fail(f"no .mcpb in {options.dist}")
        with open(os.path.join(options.dist, "server.json"), encoding="utf-8") as handle:
            released = json.load(handle)
        base = released["packages"][0]["identifier"].rsplit("/", 1)[0]
        check_entry(validator, released, bundles, base)
        checked += 1

    print(f"check_server_json: ok ({checked} server.json checked against the registry's 2025-12-11 schema, "
          f"{len(entry['packages'][0]['environmentVariables'])} environment variables)")


if __name__ == "__main__":
    main()
