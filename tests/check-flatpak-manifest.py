#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest: it parses, names the right application and
command, and asks for no more sandbox permissions than the application needs.

Usage: check-flatpak-manifest.py MANIFEST
"""

import json
import re
import sys

APP_ID = "io.github.storymap.StoryMap"
COMMAND = "story-map"

# Network for map tiles, IPC and a display for the window, the GPU for
# drawing.  Files come through the document portal, so no --filesystem.
ALLOWED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=fallback-x11",
    "--socket=wayland",
    "--device=dri",
}


def check(manifest):
    problems = []

    app_id = manifest.get("app-id", manifest.get("id"))
    if app_id != APP_ID:
        problems.append(f"app-id is {app_id!r}, expected {APP_ID!r}")

    if manifest.get("command") != COMMAND:
        problems.append(f"command is {manifest.get('command')!r}, expected {COMMAND!r}")

    if manifest.get("runtime") != "org.gnome.Platform":
        problems.append(f"runtime is {manifest.get('runtime')!r}, expected 'org.gnome.Platform'")
    if manifest.get("sdk") != "org.gnome.Sdk":
        problems.append(f"sdk is {manifest.get('sdk')!r}, expected 'org.gnome.Sdk'")

    finish_args = manifest.get("finish-args", [])
    if not isinstance(finish_args, list):
        problems.append("finish-args is not a list")
        finish_args = []
    for arg in finish_args:
        if arg not in ALLOWED_FINISH_ARGS:
            problems.append(f"finish-args entry {arg!r} is not allowed")
    if len(set(finish_args)) != len(finish_args):
        problems.append("finish-args has duplicate entries")

    modules = manifest.get("modules", [])
    if not modules or not isinstance(modules[-1], dict) or modules[-1].get("name") != COMMAND:
        problems.append(f"the last module must be {COMMAND!r}")

    for module in modules:
        if not isinstance(module, dict):
            continue
        for source in module.get("sources", []):
            if source.get("type") != "git":
                continue
            name = module.get("name")
            if "tag" not in source and "commit" not in source:
                problems.append(f"git source of module {name!r} names neither a tag nor a commit")
            commit = source.get("commit")
            if commit is not None and not re.fullmatch(r"[0-9a-f]{40}", commit):
                problems.append(f"git source of module {name!r} has a malformed commit {commit!r}")

    return problems


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2

    path = argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1

    if not isinstance(manifest, dict):
        print(f"{path}: the manifest is not a JSON object", file=sys.stderr)
        return 1

    problems = check(manifest)
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
