#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Makes a pseudo-translation of Story Map for testing.

Usage: tools/make-pseudo-po.py SOURCE_DIR OUTPUT.mo [STAMP]

Extracts every translatable string named in po/POTFILES.in with xgettext,
then "translates" each one: letters accented, the text made 40% longer and
wrapped in ⟦ ⟧, so that a test can tell translated text from text that
escaped translation, and see labels that do not fit. Placeholders, markup,
entities, {x}-style fields and mnemonics are kept as they are.
"""

import os
import re
import subprocess
import sys
import tempfile

ACCENTS = str.maketrans(
    "abcdeghiklmnorstuwyzABCDEGHIKLNORSTUWYZ",
    "àƀçđéĝĥíķĺɱñöŕšťüŵýžÀßÇĐÉĜĤÍĶĹÑÖŔŠŤÜŴÝŽ")

# Pieces a translation must keep: printf conversions, markup and entities,
# {z}-style fields, and URLs.
KEEP = re.compile(r"(%(?:\d+\$)?[-+ #0'_^]*\d*(?:\.\d+)?(?:l|ll|h|z)?[A-Za-z%]"
                  r"|<[^>]*>|&[a-zA-Z#0-9]+;|\{[a-z]\}|https?://\S+)")


def pseudo(text):
    if not text:
        return text
    if text.endswith("\n"):
        return pseudo(text[:-1]) + "\n"
    parts = KEEP.split(text)
    out = []
    letters = 0
    for i, part in enumerate(parts):
        if i % 2:
            out.append(part)
        else:
            out.append(part.translate(ACCENTS))
            letters += len(part)
    padding = "~" * max(1, (letters * 2 + 4) // 5)
    return "⟦" + "".join(out) + padding + "⟧"


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def unquote(s):
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), s)


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def parse_pot(path):
    entries, entry, key = [], {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if entry:
                    entries.append(entry)
                entry, key = {}, None
                continue
            if line.startswith("#"):
                entry.setdefault("comments", []).append(line)
                continue
            m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line)
            if m:
                key = m.group(1)
                entry[key] = unquote(m.group(2)[1:-1])
            elif line.startswith('"') and key:
                entry[key] += unquote(line[1:-1])
    if entry:
        entries.append(entry)
    return entries


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    source, output = sys.argv[1:3]
    with open(os.path.join(source, "po", "POTFILES.in"), encoding="utf-8") as f:
        files = [l.strip() for l in f if l.strip() and not l.startswith("#")]

    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, "story-map.pot")
        subprocess.run(["xgettext", "--from-code=UTF-8", "--add-comments", "--no-wrap",
                        "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
                        "--keyword=g_dngettext:2,3", "--keyword=ngettext:1,2",
                        "--keyword=g_dpgettext2:2c,3", "--flag=N_:1:pass-c-format",
                        "--flag=C_:2:pass-c-format", "--flag=ngettext:1:c-format",
                        "--flag=ngettext:2:c-format",
                        "-o", pot] + files, cwd=source, check=True)

        lines = ['msgid ""', 'msgstr ""',
                 '"Content-Type: text/plain; charset=UTF-8\\n"',
                 '"Language: pseudo\\n"',
                 '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
        for e in parse_pot(pot):
            if e.get("msgid", "") == "":
                continue
            if "msgctxt" in e:
                lines.append("msgctxt " + quote(e["msgctxt"]))
            lines.append("msgid " + quote(e["msgid"]))
            if "msgid_plural" in e:
                lines.append("msgid_plural " + quote(e["msgid_plural"]))
                lines.append("msgstr[0] " + quote(pseudo(e["msgid"])))
                lines.append("msgstr[1] " + quote(pseudo(e["msgid_plural"])))
            else:
                lines.append("msgstr " + quote(pseudo(e["msgid"])))
            lines.append("")

        po = os.path.join(tmp, "pseudo.po")
        with open(po, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
        subprocess.run(["msgfmt", "--check-format", "-o", output, po], check=True)

    if len(sys.argv) == 4:
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            f.write(output + "\n")


if __name__ == "__main__":
    main()
