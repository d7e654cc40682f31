#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write story files that stand at each documented limit (and a few shapes
that once cost far more than their size), for build-aux/measure-limits.sh.

Usage: make-limit-stories.py OUTPUT_DIR

Every file is valid and loads: what is measured is what the limit costs,
not how a file past it is refused (tests/test-document.c checks that).
The output is the same on every run.
"""

import json
import math
import os
import random
import sys


def story(title, paragraphs, features):
    return {
        "type": "FeatureCollection",
        "story": {"title": title, "language": "en", "paragraphs": paragraphs},
        "features": features,
    }


def point(fid, name, lon, lat, **props):
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
        "properties": dict(name=name, **props),
    }


def ring(lon, lat, radius, n, digits=5):
    coords = []
    for i in range(n):
        a = 2 * math.pi * i / n
        coords.append([round(lon + radius * math.cos(a), digits), round(lat + radius * math.sin(a), digits)])
    coords.append(coords[0])
    return coords


def area(fid, name, polygons):
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        "properties": {"name": name, "kind": "region"},
    }


def places_limit():
    # 20,000 places on a grid over the Caucasus, each named in a paragraph.
    features, paragraphs, words = [], [], []
    for i in range(20000):
        name = f"Place{i:05d}"
        features.append(point(f"p{i}", name, 40 + (i % 200) * 0.05, 37 + (i // 200) * 0.05))
        words.append(name)
        if len(words) == 20:
            paragraphs.append("Here lie " + ", ".join(words) + ".")
            words = []
    return story("Twenty thousand places", paragraphs, features)


def vertices_limit():
    # 100 areas of 10,000 vertices each (9,999 and the closing one), near
    # the Gulf of Guinea, where coordinates are short enough to keep the
    # file under its own size limit.
    features, paragraphs = [], []
    for i in range(100):
        lon, lat = 1.5 + (i % 10) * 0.8, 1.5 + (i // 10) * 0.8
        features.append(area(f"a{i}", f"Area{i:03d}", [[ring(lon, lat, 0.35, 9999, 3)]]))
        paragraphs.append(f"The outline of Area{i:03d} is long.")
    return story("A million vertices", paragraphs, features)


def many_rings():
    # One area of 5,000 small rings (islands), named in the only paragraph.
    polygons = []
    for i in range(5000):
        lon, lat = 44 + (i % 100) * 0.04, 39 + (i // 100) * 0.04
        polygons.append([ring(lon, lat, 0.01, 4)])
    return story("An archipelago", ["The Archipelago has five thousand islands."],
                 [area("archipelago", "Archipelago", polygons)])


def paragraphs_limit():
    paragraphs = [f"Paragraph {i + 1} tells of Yerevan." for i in range(20000)]
    return story("Twenty thousand paragraphs", paragraphs,
                 [point("yerevan", "Yerevan", 44.51, 40.18)])


def long_string():
    rng = random.Random(7)
    text = "".join(rng.choice("abcdefghij") for _ in range(262144 - 16)) + " Yerevan"
    return story("One long paragraph", [text, "Yerevan again."],
                 [point("yerevan", "Yerevan", 44.51, 40.18)])


def many_names():
    # One place with as many names in other languages as a place may have.
    props = {f"name:x{i:03d}": f"Name {i}" for i in range(256)}
    return story("A place of many names", ["Yerevan has many names."],
                 [point("yerevan", "Yerevan", 44.51, 40.18, **props)])


def nested_aliases():
    # Aliases "Ani", "Ani Ani", … over a text that repeats the name.
    aliases = [" ".join(["Ani"] * k) for k in range(2, 201)]
    text = " ".join(["Ani"] * 30000)
    return story("Repeated names", [text],
                 [point("ani", "Ani", 43.57, 40.51, aliases=aliases)])


def file_size_limit():
    # About 15.9 MB of paragraphs naming one place.
    paragraph = ("Yerevan " + "word " * 150).strip()
    paragraphs = [paragraph] * 19500
    return story("A large file", paragraphs, [point("yerevan", "Yerevan", 44.51, 40.18)])


STORIES = {
    "places-20000": places_limit,
    "vertices-1000000": vertices_limit,
    "rings-5000": many_rings,
    "paragraphs-20000": paragraphs_limit,
    "string-256k": long_string,
    "names-256": many_names,
    "aliases-nested": nested_aliases,
    "file-16mb": file_size_limit,
}


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    os.makedirs(argv[1], exist_ok=True)
    for name, make in STORIES.items():
        path = os.path.join(argv[1], name + ".storymap.geojson")
        with open(path, "w", encoding="utf-8") as f:
            json.dump(make(), f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
