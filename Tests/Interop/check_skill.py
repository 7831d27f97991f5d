#!/usr/bin/env python3
"""Checks that the agent skill loads where skills are read: with a real YAML parser.

    check_skill.py [--bin PATH]

Installs the skill with `social-data-mcp skill --install --dir TMP` (what a user runs),
then parses the installed SKILL.md's frontmatter and agents/openai.yaml with PyYAML and
holds them to the Agent Skills rules (agentskills.io/specification): `name` is 1-64
lowercase letters, digits and single hyphens and matches its folder; `description` is
1-200 characters (Claude.ai's upload limit) and says what the skill does and when to use it; `compatibility` is at
most 500 characters; `metadata` maps strings to strings. The committed SKILL.md must be
the installed one. Exits non-zero on the first failed check.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

import yaml

from standin import binary

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FAILURES: list[str] = []
ALLOWED_KEYS = {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}
# The words users type when they want this skill, in the languages they type them in.
TRIGGER_WORDS = ["小红书", "抖音", "博主", "达人", "品牌", "Xiaohongshu", "Douyin", "creators"]


def check(condition: bool, what: str) -> None:
    print(("  ok   " if condition else "  FAIL ") + what)
    if not condition:
        FAILURES.append(what)


def frontmatter(text: str) -> tuple[dict, str]:
    match = re.match(r"---\n(.*?)\n---\n(.*)", text, re.DOTALL)
    if not match:
        raise ValueError("SKILL.md does not start with a --- frontmatter block")
    return yaml.safe_load(match.group(1)), match.group(2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=binary("social-data-mcp"))
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        subprocess.run([options.bin, "skill", "--install", "--dir", directory], check=True, capture_output=True, env={"PATH": os.environ["PATH"]})
        folders = os.listdir(directory)
        check(len(folders) == 1, f"one skill folder installed ({folders})")
        folder = os.path.join(directory, folders[0])
        with open(os.path.join(folder, "SKILL.md"), encoding="utf-8") as handle:
            skill = handle.read()
        with open(os.path.join(folder, "agents", "openai.yaml"), encoding="utf-8") as handle:
            openai = yaml.safe_load(handle)
    meta, body = frontmatter(skill)
    check(isinstance(meta, dict), "the frontmatter is a YAML mapping")
    check(set(meta) <= ALLOWED_KEYS, f"only Agent Skills keys ({sorted(set(meta) - ALLOWED_KEYS) or 'none other'})")
    name = meta.get("name")
    check(isinstance(name, str) and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) is not None and len(name) <= 64, f"name {name!r} is lowercase with single hyphens, at most 64")
    check(name == folders[0], f"name {name!r} matches its folder {folders[0]!r}")
    description = meta.get("description")
    # Claude.ai's skill upload form rejects more than 200 characters (the Agent Skills rule is 1,024).
    check(isinstance(description, str) and 1 <= len(description) <= 200, f"description is 1 to 200 characters ({len(description or '')})")
    description = description or ""
    check("Use when" in description, "description says when to use the skill")
    for word in TRIGGER_WORDS:
        check(word in description, f"description has {word}")
    check("<" not in description and ">" not in description, "description has no angle brackets")
    compatibility = meta.get("compatibility", "")
    check(isinstance(compatibility, str) and len(compatibility) <= 500, "compatibility is at most 500 characters")
    metadata = meta.get("metadata", {})
    check(isinstance(metadata, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()), f"metadata maps strings to strings ({metadata})")
    check(body.strip().startswith("# "), "the body starts with a heading")
    with open(os.path.join(ROOT, "SKILL.md"), encoding="utf-8") as handle:
        check(handle.read() == skill, "the committed SKILL.md is the installed one")
    check(isinstance(openai, dict), "agents/openai.yaml is a YAML mapping")
    interface = (openai or {}).get("interface", {})
    check(all(isinstance(interface.get(key), str) and interface.get(key) for key in ("display_name", "short_description", "default_prompt")), "openai.yaml has the interface strings")
    check(f"${name}" in interface.get("default_prompt", ""), "the default prompt names the skill")
    tools = ((openai or {}).get("dependencies") or {}).get("tools") or []
    check(any(tool.get("type") == "mcp" and tool.get("value") == "social-data" for tool in tools), "openai.yaml depends on the social-data MCP server")
    print(f"skill: {len(FAILURES)} failure(s)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
