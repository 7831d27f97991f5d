#!/usr/bin/env python3
"""Checks the MCP Bundle that `social-data-mcp bundle` writes, as Claude Desktop would use it.

    check_bundle.py --server PATH/TO/social-data-mcp [--skip-schema] [--force]

- the .mcpb is a zip holding exactly manifest.json, the server binary (executable in the
  zip's Unix attributes), README.md and LICENSE;
- manifest.json validates against the MCPB v0.3 JSON Schema (schemas/, copied from the
  MCPB repository), unless --skip-schema (for a Python without jsonschema);
- every user_config entry reaches the server through mcp_config.env, keys and the cookie
  are sensitive, nothing is required, the tools are the server's own tools/list;
- `bundle` runs without --force unless told: the binary must need none of the Swift
  toolchain's shared libraries, or `bundle` refuses it (--force for a debug build);
- unzipped into a fresh folder, the binary answers `initialize` and `tools/list` when
  started the way the manifest says (${__dirname} and empty user settings substituted).
"""
import argparse
import json
import os
import stat
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
SECRET_SUFFIXES = ("_API_KEY", "_COOKIE")


def fail(message: str) -> None:
    print(f"check_bundle: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def rpc(process, message: dict) -> dict:
    process.stdin.write(json.dumps(message) + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        fail(f"no answer to {message['method']}")
    return json.loads(line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--skip-schema", action="store_true")
    parser.add_argument("--force", action="store_true", help="pass --force to bundle (a binary linked to the toolchain)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        bundle = os.path.join(work, "out.mcpb")
        written = subprocess.run([options.server, "bundle", "--output", bundle, *(["--force"] if options.force else [])],
                                 capture_output=True, text=True)
        if written.returncode != 0:
            fail(f"bundle exited {written.returncode}: {written.stderr}")

        with zipfile.ZipFile(bundle) as archive:
            if archive.testzip() is not None:
                fail("a CRC in the zip is wrong")
            names = sorted(archive.namelist())
            manifest = json.loads(archive.read("manifest.json"))
            entry = manifest["server"]["entry_point"]
            expected = sorted(["manifest.json", entry, "README.md", "LICENSE"])
            if names != expected:
                fail(f"the zip holds {names}, expected {expected}")
            mode = archive.getinfo(entry).external_attr >> 16
            if not stat.S_ISREG(mode) or mode & 0o111 != 0o111:
                fail(f"{entry} is not a regular executable file in the zip (mode {oct(mode)})")
            with open(options.server, "rb") as handle:
                if archive.read(entry) != handle.read():
                    fail("the bundled binary is not the binary that wrote the bundle")
            folder = os.path.join(work, "unpacked")
            archive.extractall(folder)
            # zipfile drops permissions; apply the archive's own, as an installer does.
            for info in archive.infolist():
                os.chmod(os.path.join(folder, info.filename), (info.external_attr >> 16) & 0o777)

        if not options.skip_schema:
            from jsonschema import Draft7Validator

            with open(os.path.join(HERE, "schemas", "mcpb-manifest-v0.3.schema.json"), encoding="utf-8") as handle:
                schema = json.load(handle)
            errors = sorted(Draft7Validator(schema).iter_errors(manifest), key=lambda error: list(error.path))
            if errors:
                fail("manifest.json does not match the MCPB v0.3 schema: " + "; ".join(
                    f"{'/'.join(map(str, error.path))}: {error.message}" for error in errors))

        if manifest["manifest_version"] != "0.3" or manifest["server"]["type"] != "binary":
            fail("manifest_version must be 0.3 and server.type binary")
        platform = {"linux": "linux", "darwin": "darwin", "win32": "win32"}[sys.platform]
        if manifest["compatibility"]["platforms"] != [platform]:
            fail(f"compatibility.platforms is {manifest['compatibility']['platforms']}, expected [{platform!r}]")
        config = manifest["server"]["mcp_config"]
        if config["command"] != "${__dirname}/" + entry:
            fail(f"mcp_config.command is {config['command']}")
        user_config = manifest["user_config"]
        referenced = {value[len("${user_config."):-1]: variable for variable, value in config["env"].items()}
        if set(referenced) != set(user_config):
            fail(f"user_config and mcp_config.env differ: {sorted(set(referenced) ^ set(user_config))}")
        for key, variable in referenced.items():
            setting = user_config[key]
            if setting.get("required", False):
                fail(f"{key} is required; no setting should be")
            if variable.endswith(SECRET_SUFFIXES) != setting.get("sensitive", False):
                fail(f"{key} ({variable}) sensitive={setting.get('sensitive')}")
        for variable in ("DATANEXUS_API_KEY", "TIKOMNI_DOUYIN_COOKIE", "CREATIVAULT_USER_IDENTITY",
                         "CREATIVAULT_BASE_URL", "SOCIAL_DATA_MCP_MAX_SPEND_CNY", "SOCIAL_DATA_MCP_DAILY_LIMIT_CNY",
                         "SOCIAL_DATA_MCP_MONTHLY_LIMIT_CNY", "SOCIAL_DATA_MCP_CONFIRM_ABOVE_CNY"):
            if variable not in config["env"]:
                fail(f"{variable} is not a bundle setting")

        # Start it as Claude Desktop would: the manifest's command, every setting left empty.
        command = config["command"].replace("${__dirname}", folder)
        environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": work}
        for variable, value in config["env"].items():
            key = value[len("${user_config."):-1]
            environment[variable] = str(user_config[key].get("default", ""))
        process = subprocess.Popen([command, *config["args"]], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True, env=environment, cwd=work)
        try:
            answer = rpc(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
                "protocolVersion": "2025-06-18", "capabilities": {},
                "clientInfo": {"name": "check_bundle", "version": "1"}}})
            info = answer.get("result", {}).get("serverInfo", {})
            if info.get("name") != manifest["name"] or info.get("version") != manifest["version"]:
                fail(f"initialize answered {answer}")
            process.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n")
            listed = rpc(process, {"jsonrpc": "2.0", "id": 2, "method": "tools/list"})
            tools = [tool["name"] for tool in listed["result"]["tools"]]
            cursor = listed["result"].get("nextCursor")
            while cursor:
                page = rpc(process, {"jsonrpc": "2.0", "id": 3, "method": "tools/list", "params": {"cursor": cursor}})
                tools += [tool["name"] for tool in page["result"]["tools"]]
                cursor = page["result"].get("nextCursor")
            if tools != [tool["name"] for tool in manifest["tools"]]:
                fail("the manifest's tools are not the server's tools/list")
        finally:
            process.stdin.close()
            process.wait(timeout=10)
        print(f"check_bundle: ok ({len(names)} files, {len(user_config)} settings, {len(tools)} tools, "
              f"{'schema checked' if not options.skip_schema else 'schema skipped'})")


if __name__ == "__main__":
    main()
