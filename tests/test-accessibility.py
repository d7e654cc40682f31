#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Starts Story Map on the bundled story and walks its accessibility tree
over AT-SPI, as a screen reader does: every control a reader can reach
(buttons, toggles, links, list items, menu buttons, switches) has a name.
The place details card is opened from a marker, so that its controls are
in the tree too. Prints what it finds in TAP's form; exits 77 (skipped)
without pyatspi."""

import os
import re
import subprocess
import sys
import time

try:
    import pyatspi
except ImportError:
    print("1..0 # SKIP python3-pyatspi is not installed")
    sys.exit(77)

# Controls a screen reader announces by name.
NAMED_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON,
    pyatspi.ROLE_TOGGLE_BUTTON,
    pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_LINK,
    pyatspi.ROLE_LIST_ITEM,
    pyatspi.ROLE_MENU_ITEM,
    pyatspi.ROLE_COMBO_BOX,
    pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_SPIN_BUTTON,
    pyatspi.ROLE_ENTRY,
}
for name in ("ROLE_MENU_BUTTON", "ROLE_SWITCH", "ROLE_TOGGLE_SWITCH"):
    if hasattr(pyatspi, name):
        NAMED_ROLES.add(getattr(pyatspi, name))

TIMEOUT = 30

# GTK 4.8 names a control with nothing better after the type of a widget
# in it ("GtkImage" for an icon button): as good as no name to a reader.
FALLBACK_NAME = re.compile(r"^(Gtk|Adw|Shumate|Story)[A-Z]\w*$")


def wait_for(what, condition):
    """Polls AT-SPI until condition() is true, failing after TIMEOUT."""
    end = time.monotonic() + TIMEOUT
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > end:
            print(f"not ok 1 timed out waiting for {what}")
            sys.exit(1)
        time.sleep(0.1)


def find_app(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def walk(node, path, found, depth=0):
    """Adds to found the path of each control under node with no name."""
    if node is None or depth > 80:
        return
    try:
        role = node.getRole()
        name = (node.name or "").strip()
        children = node.childCount
        here = f"{path}/{node.getRoleName()}"
    except Exception:
        return
    if name:
        here += f"[{name}]"
    if role in NAMED_ROLES and (not name or FALLBACK_NAME.match(name)):
        found.append(here)
    for i in range(children):
        try:
            walk(node.getChildAtIndex(i), here, found, depth + 1)
        except Exception:
            continue


def find_by_name(node, role, name, depth=0):
    """The first node under node of role whose name holds name."""
    if node is None or depth > 80:
        return None
    try:
        if node.getRole() == role and name in (node.name or ""):
            return node
        for i in range(node.childCount):
            hit = find_by_name(node.getChildAtIndex(i), role, name, depth + 1)
            if hit is not None:
                return hit
    except Exception:
        return None
    return None


def press(node):
    action = node.queryAction()
    for i in range(action.nActions):
        if action.getName(i) in ("click", "activate", "press"):
            action.doAction(i)
            return True
    return False


def main():
    binary = os.environ.get("STORY_MAP_BINARY")
    if not binary:
        print("1..0 # SKIP STORY_MAP_BINARY is not set")
        return 77

    env = dict(os.environ)
    # The suite keeps accessibility out of the other tests; here it is
    # what is tested.
    env.pop("NO_AT_BRIDGE", None)
    env.pop("GTK_A11Y", None)
    app_process = subprocess.Popen(
        [binary, "--tile-url", "http://127.0.0.1:9/{z}/{x}/{y}.png"], env=env)

    try:
        print("1..2")
        app = wait_for("the window on the accessibility bus",
                       lambda: find_app(app_process.pid))
        marker = wait_for("the marker of Nerkin Hand",
                          lambda: find_by_name(app, pyatspi.ROLE_PUSH_BUTTON, "Nerkin Hand"))
        print("ok 1 the window is on the accessibility bus")

        # The place's card too, as a reader opens it from its marker.
        press(marker)
        wait_for("the place's card",
                 lambda: find_by_name(app, pyatspi.ROLE_PUSH_BUTTON, "Open in Maps"))

        found = []
        walk(app, "", found)
        if found:
            for entry in found:
                print(f"# unnamed: {entry}")
            print(f"not ok 2 {len(found)} controls have no name")
            return 1
        print("ok 2 every control has a name")
        return 0
    finally:
        app_process.terminate()
        app_process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
