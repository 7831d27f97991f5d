#!/usr/bin/env python3
"""Checks the GitHub Actions workflows with actionlint (and ShellCheck for their run: scripts).

    check_workflows.py

Both come from PyPI as wheels with the prebuilt binaries (requirements.txt), installed in
the same virtualenv as this Python. A copy of the release workflow with a mistake in it
must fail, so a linter that checks nothing cannot pass.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def fail(message: str) -> None:
    print(f"check_workflows: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    # The virtualenv's bin first, so actionlint finds the ShellCheck installed beside it.
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    environment = dict(os.environ, PATH=path)
    actionlint = shutil.which("actionlint", path=path)
    if actionlint is None or shutil.which("shellcheck", path=path) is None:
        fail("actionlint or shellcheck is not installed (Tests/Interop/requirements.txt)")
    workflows = sorted(glob.glob(os.path.join(ROOT, ".github", "workflows", "*.yml")))
    if not any(name.endswith("release.yml") for name in workflows):
        fail("no .github/workflows/release.yml")
    checked = subprocess.run([actionlint, "-no-color", *workflows], capture_output=True, text=True, env=environment, cwd=ROOT)
    if checked.returncode != 0:
        fail(f"actionlint found problems:\n{checked.stdout}{checked.stderr}")

    with open(os.path.join(ROOT, ".github", "workflows", "release.yml"), encoding="utf-8") as handle:
        text = handle.read()
    mistakes = {
        "an unknown runner": text.replace("runs-on: ubuntu-24.04\n", "runs-on: ubuntu-24.04-nonexistent\n", 1),
        "an unquoted variable in a script": text.replace('chmod +x "$server"', "chmod +x $server", 1),
        "an unknown context": text.replace("github.repository }}", "github.repositry }}", 1),
    }
    with tempfile.TemporaryDirectory() as work:
        folder = os.path.join(work, ".github", "workflows")
        os.makedirs(folder)
        for what, broken in mistakes.items():
            if broken == text:
                fail(f"could not make a workflow with {what}: the release workflow changed shape")
            with open(os.path.join(folder, "release.yml"), "w", encoding="utf-8") as handle:
                handle.write(broken)
            caught = subprocess.run([actionlint, "-no-color", os.path.join(folder, "release.yml")], capture_output=True, text=True,
                                    env=environment, cwd=work)
            if caught.returncode == 0:
                fail(f"actionlint accepted a workflow with {what}")
    version = subprocess.run([actionlint, "-version"], capture_output=True, text=True, env=environment).stdout.splitlines()[0]
    print(f"check_workflows: ok ({len(workflows)} workflow(s) clean under actionlint {version} with ShellCheck; "
          f"{len(mistakes)} planted mistakes caught)")


if __name__ == "__main__":
    main()
