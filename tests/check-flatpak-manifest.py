#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the Flatpak manifest: it parses, names the right application and
command, asks for no more sandbox permissions than the application needs,
builds on a GNOME runtime that is still supported, and fetches every source
from a fixed commit or a tarball of known checksum.  The release manifest builds the application from its
git repository; only the development manifest (--devel) builds the checkout
it sits in.  With --urls, every GitHub address in the files named must point
at the repository the application id implies.

Usage: check-flatpak-manifest.py [--devel] [--allow-tag-only MODULE]... [--urls FILE]... MANIFEST
"""

import json
import re
import sys

APP_ID = "io.github.storymap.StoryMap"
COMMAND = "story-map"

# An io.github.OWNER.NAME id is the GitHub repository OWNER/name: Flathub
# checks that the id and the code's home agree.
_, _, OWNER, NAME = APP_ID.split(".")
REPOSITORY = f"https://github.com/{OWNER}/{NAME.lower()}"
GIT_URL = REPOSITORY + ".git"

# GNOME runtimes are supported for a year, two releases at a time.  49 is
# the newest stable runtime (September 2025 onwards) and 48 the one before
# it, still receiving updates; 47 and older are end of life on Flathub.  We
# build on the newest so that the year of support is all ahead of us; the
# code itself targets GTK 4.8 and libadwaita 1.2, so any of these builds it.
OLDEST_SUPPORTED_RUNTIME = 48

# Network for map tiles, IPC and a display for the window, the GPU for
# drawing.  Files come through the document portal, so no --filesystem.
ALLOWED_FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=fallback-x11",
    "--socket=wayland",
    "--device=dri",
}


def check_runtime(manifest, problems):
    version = manifest.get("runtime-version")
    if not isinstance(version, str) or not version.isdigit():
        problems.append(f"runtime-version is {version!r}, expected a GNOME release such as '49'")
    elif int(version) < OLDEST_SUPPORTED_RUNTIME:
        problems.append(f"runtime-version {version} is end of life; "
                        f"use {OLDEST_SUPPORTED_RUNTIME} or newer")


def check_sources(modules, devel, tag_only, problems):
    for module in modules:
        if not isinstance(module, dict):
            continue
        name = module.get("name")
        for source in module.get("sources", []):
            if not isinstance(source, dict):
                continue
            kind = source.get("type")
            if kind == "dir":
                if not devel or name != COMMAND:
                    problems.append(f"module {name!r} builds a local directory; "
                                    "only the development manifest may")
                continue
            if kind in ("archive", "file"):
                checksum = source.get("sha256")
                if not isinstance(checksum, str) or not re.fullmatch(r"[0-9a-f]{64}", checksum):
                    problems.append(f"{kind} source of module {name!r} has no sha256 checksum")
                continue
            if kind != "git":
                continue
            commit = source.get("commit")
            if commit is None:
                if name not in tag_only:
                    problems.append(f"git source of module {name!r} is not pinned to a commit")
                elif "tag" not in source:
                    problems.append(f"git source of module {name!r} names neither a tag nor a commit")
            elif not re.fullmatch(r"[0-9a-f]{40}", commit):
                problems.append(f"git source of module {name!r} has a malformed commit {commit!r}")
            if name == COMMAND and source.get("url") != GIT_URL:
                problems.append(f"module {name!r} is fetched from {source.get('url')!r}, "
                                f"expected {GIT_URL!r}")


GITHUB_URL = re.compile(r"https?://(?:github\.com|raw\.githubusercontent\.com)/([^/\s\"'<>)]+)/([^/\s\"'<>)]+)")


def check_urls(path, problems):
    """Every GitHub address in PATH points at the application's repository."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        problems.append(f"{path}: {e}")
        return
    for match in GITHUB_URL.finditer(text):
        owner, repo = match.group(1), match.group(2)
        if repo.endswith(".git"):
            repo = repo[:-4]
        if (owner, repo) != (OWNER, NAME.lower()):
            problems.append(f"{path}: {match.group(0)} is not {REPOSITORY}")


def check(manifest, devel=False, tag_only=()):
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

    check_runtime(manifest, problems)
    check_sources(modules, devel, set(tag_only), problems)
    if not devel and not any(isinstance(m, dict) and m.get("name") == COMMAND and
                             any(isinstance(s, dict) and s.get("type") == "git"
                                 for s in m.get("sources", []))
                             for m in modules):
        problems.append(f"module {COMMAND!r} must be built from its git repository")

    return problems


def self_test():
    """Each rule turns away a manifest that breaks it."""
    good = {
        "app-id": APP_ID, "command": COMMAND,
        "runtime": "org.gnome.Platform", "runtime-version": "49", "sdk": "org.gnome.Sdk",
        "finish-args": ["--share=ipc", "--socket=wayland"],
        "modules": [
            {"name": "lib", "sources": [{"type": "git", "url": "https://example.org/lib.git",
                                         "commit": "0123456789abcdef0123456789abcdef01234567"}]},
            {"name": "tarball", "sources": [{"type": "archive", "url": "https://example.org/t.tar.xz",
                                             "sha256": "0" * 64}]},
            {"name": COMMAND, "sources": [{"type": "git", "url": GIT_URL, "tag": "v1"}]},
        ],
    }
    assert check(good, tag_only=[COMMAND]) == [], check(good, tag_only=[COMMAND])

    def broken(change, devel=False):
        manifest = json.loads(json.dumps(good))
        change(manifest)
        return check(manifest, devel, [COMMAND])

    assert broken(lambda m: m.update({"runtime-version": "47"}))
    assert broken(lambda m: m.update({"runtime-version": "master"}))
    assert broken(lambda m: m["modules"][0]["sources"][0].pop("commit"))
    assert broken(lambda m: m["modules"][0]["sources"][0].update({"commit": "1.3.2"}))
    assert broken(lambda m: m["modules"][1]["sources"][0].pop("sha256"))
    assert broken(lambda m: m["modules"][2]["sources"][0].update({"url": "https://github.com/storymap/story-map.git"}))
    assert broken(lambda m: m["modules"][2].update({"sources": [{"type": "dir", "path": "../.."}]}))
    assert not broken(lambda m: m["modules"][2].update({"sources": [{"type": "dir", "path": "../.."}]}), devel=True)
    assert broken(lambda m: m["modules"][0].update({"sources": [{"type": "dir", "path": "."}]}), devel=True)
    assert broken(lambda m: m["finish-args"].append("--filesystem=home"))
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()

    devel = False
    tag_only = []
    url_files = []
    args = argv[1:]
    while len(args) > 1:
        option = args.pop(0)
        if option == "--devel":
            devel = True
        elif option == "--allow-tag-only" and len(args) > 1:
            tag_only.append(args.pop(0))
        elif option == "--urls" and len(args) > 1:
            url_files.append(args.pop(0))
        else:
            args = []
    if len(args) != 1:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2

    path = args[0]
    try:
        with open(path, encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 1

    if not isinstance(manifest, dict):
        print(f"{path}: the manifest is not a JSON object", file=sys.stderr)
        return 1

    problems = check(manifest, devel, tag_only)
    for url_file in url_files:
        check_urls(url_file, problems)
    for problem in problems:
        print(f"{path}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
