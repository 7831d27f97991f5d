#!/usr/bin/env python3
"""The floor plan, checked: what the README's Development section promises about the code.

- The package's targets form a DAG (read from `swift package dump-package`, not from the
  manifest's text), and nothing the shipped executable links depends on the testing target.
- No hand-written function in a shipped target is over 80 lines, and no shipped file over
  400 lines, outside generated code and table literals (files named `*+Generated.swift`
  or `*+Table.swift`, whose length is their data).
- No test double reaches the shipped binary: none of the type names declared in the testing
  target occurs in the stripped binary or in its separate debug symbols.

    check_layout.py [--binary .build/release/social-data-mcp] [--report]

`--report` prints the longest functions and files as well (for closing notes). Exit 1 on
any broken rule, with each one named.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FUNCTION_LIMIT = 80
FILE_LIMIT = 400
SHIPPED_EXECUTABLE = "social-data-mcp"
TESTING_TARGET = "SocialDataMCPTesting"
DATA_FILE = re.compile(r"\+(Generated|Table)\.swift$")


def targets() -> dict[str, list[str]]:
    dump = subprocess.run(
        ["swift", "package", "dump-package"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    graph: dict[str, list[str]] = {}
    for target in json.loads(dump)["targets"]:
        if target["type"] == "test":
            continue
        names = []
        for dependency in target["dependencies"]:
            (kind, value), = dependency.items()
            names.append(value[0])
        graph[target["name"]] = names
    return graph


def cycle(graph: dict[str, list[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in graph:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def reachable(graph: dict[str, list[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(graph.get(node, []))
    return seen


def blank_strings_and_comments(text: str) -> str:
    """The source with comments and string literals replaced by spaces (newlines kept), so
    that braces are counted only where they are code."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text[i] == '"' or (text[i] == "#" and re.match(r'#+"', text[i:])):
            hashes = len(text[i:]) - len(text[i:].lstrip("#"))
            start = i + hashes
            multiline = text.startswith('"""', start)
            quote = '"""' if multiline else '"'
            closing = quote + "#" * hashes
            j = start + len(quote)
            while j < n:
                if hashes == 0 and text[j] == "\\" and text.startswith("\\(", j):
                    # An interpolation: skip to its matching parenthesis.
                    depth, j = 1, j + 2
                    while j < n and depth:
                        depth += {"(": 1, ")": -1}.get(text[j], 0)
                        j += 1
                    continue
                if hashes == 0 and text[j] == "\\":
                    j += 2
                    continue
                if text.startswith(closing, j):
                    j += len(closing)
                    break
                j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


DECLARATION = re.compile(
    r"\b(func\s+[^\s(<]+|init[?!]?|deinit|subscript)\s*[(<{]"
)


def functions(path: str) -> list[tuple[int, str, int]]:
    """(lines, name, first line) of every function, initializer and subscript body."""
    with open(path, encoding="utf-8") as handle:
        code = blank_strings_and_comments(handle.read())
    found = []
    for match in DECLARATION.finditer(code):
        # The body is the first `{` after the signature at the signature's own depth
        # (parameter lists and generic clauses have no braces except default closures,
        # which sit inside parentheses).
        j, parens = match.end() - 1, 0
        while j < len(code):
            ch = code[j]
            if ch in "(<[":
                parens += 1
            elif ch in ")>]":
                parens -= 1
            elif ch == "{" and parens <= 0:
                break
            elif ch == "\n" and parens <= 0 and code[match.start():j].rstrip().endswith(")") is False:
                pass
            j += 1
        if j >= len(code):
            continue  # a protocol requirement: no body
        # A requirement in a protocol has no `{` before the next declaration.
        between = code[match.end():j]
        if re.search(r"\n\s*(func|var|let|init|static|case|public|private|internal|fileprivate|@)\b", between):
            continue
        depth, k = 0, j
        while k < len(code):
            if code[k] == "{":
                depth += 1
            elif code[k] == "}":
                depth -= 1
                if depth == 0:
                    break
            k += 1
        first = code.count("\n", 0, match.start()) + 1
        last = code.count("\n", 0, k) + 1
        found.append((last - first + 1, match.group(1).replace("func", "").strip(), first))
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", help="the shipped (stripped) binary; its .debug beside it is read too")
    parser.add_argument("--report", action="store_true", help="print the longest functions and files")
    options = parser.parse_args()
    problems: list[str] = []

    graph = targets()
    loop = cycle(graph)
    if loop:
        problems.append("targets form a cycle: " + " → ".join(loop))
    shipped = reachable(graph, SHIPPED_EXECUTABLE)
    if TESTING_TARGET in shipped:
        problems.append(f"the shipped executable links {TESTING_TARGET}")
    order = sorted(shipped - {SHIPPED_EXECUTABLE}, key=lambda t: (len(reachable(graph, t)), t))
    print(f"targets ({len(graph)}), shipped ones from the bottom up: " + ", ".join(order))

    all_functions, all_files = [], []
    for target in sorted(shipped):
        folder = os.path.join(ROOT, "Sources", target)
        for directory, _, names in os.walk(folder):
            for name in names:
                if not name.endswith(".swift"):
                    continue
                path = os.path.join(directory, name)
                relative = os.path.relpath(path, ROOT)
                if DATA_FILE.search(name):
                    continue
                with open(path, encoding="utf-8") as handle:
                    lines = handle.read().count("\n")
                all_files.append((lines, relative))
                for length, function, line in functions(path):
                    all_functions.append((length, f"{relative}:{line} {function}"))
    all_functions.sort(reverse=True)
    all_files.sort(reverse=True)
    for length, where in all_functions:
        if length > FUNCTION_LIMIT:
            problems.append(f"function over {FUNCTION_LIMIT} lines ({length}): {where}")
    for length, where in all_files:
        if length > FILE_LIMIT:
            problems.append(f"file over {FILE_LIMIT} lines ({length}): {where}")
    print(
        f"{len(all_functions)} functions in {len(all_files)} shipped files; longest function "
        f"{all_functions[0][0]} lines ({all_functions[0][1]}), largest file {all_files[0][0]} lines ({all_files[0][1]})"
    )
    if options.report:
        print("longest functions:")
        for length, where in all_functions[:8]:
            print(f"  {length:4d}  {where}")
        print("largest files:")
        for length, where in all_files[:8]:
            print(f"  {length:4d}  {where}")

    if options.binary:
        doubles = set()
        for directory, _, names in os.walk(os.path.join(ROOT, "Sources", TESTING_TARGET)):
            for name in names:
                if name.endswith(".swift"):
                    with open(os.path.join(directory, name), encoding="utf-8") as handle:
                        doubles.update(
                            # Top-level types only: a nested `State` is a name many types share.
                            re.findall(
                                r"(?m)^(?:public\s+|package\s+)?(?:final\s+)?(?:struct|class|actor|enum|protocol)\s+([A-Z]\w+)",
                                handle.read(),
                            )
                        )
        files = [options.binary] + [p for p in [options.binary + ".debug"] if os.path.exists(p)]
        for path in files:
            with open(path, "rb") as handle:
                data = handle.read()
            for name in sorted(doubles):
                # Swift's mangled names and reflection strings carry a type's name as is.
                if re.search(rb"\d" + name.encode() + rb"(?![A-Za-z0-9_])", data):
                    problems.append(f"test double {name} is in {os.path.relpath(path, ROOT)}")
        print(
            f"test doubles looked for in {', '.join(os.path.basename(f) for f in files)}: "
            + ", ".join(sorted(doubles))
        )

    for problem in problems:
        print("layout: " + problem, file=sys.stderr)
    if problems:
        return 1
    print("layout: every rule holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
