#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Builds the bundled story file from the article text and the region data.

Usage: tools/make-story.py ARTICLE GEODATA_DIR OUTPUT

ARTICLE is the plain-text article: the title on the first line, the dateline
on the second, then one paragraph a line. GEODATA_DIR holds the region
extracts described in the README (admin1_10m_am_az_ge.geojson for Syunik,
nkao_polygon.geojson for Karabakh). Only the Python standard library is used.
"""

import json
import sys


def load_article(path):
    with open(path, encoding="utf-8") as f:
        lines = [line.strip() for line in f if line.strip()]
    return lines[0], lines[1], lines[2:]


def ring_rounded(ring):
    return [[round(lon, 4), round(lat, 4)] for lon, lat in ring]


def province(geodata, iso):
    with open(f"{geodata}/admin1_10m_am_az_ge.geojson", encoding="utf-8") as f:
        for feature in json.load(f)["features"]:
            if feature["properties"].get("iso_3166_2") == iso:
                geometry = feature["geometry"]
                if geometry["type"] == "Polygon":
                    return {"type": "Polygon",
                            "coordinates": [ring_rounded(r) for r in geometry["coordinates"]]}
                return {"type": "MultiPolygon",
                        "coordinates": [[ring_rounded(r) for r in p] for p in geometry["coordinates"]]}
    raise SystemExit(f"province {iso} not found")


def nkao(geodata):
    with open(f"{geodata}/nkao_polygon.geojson", encoding="utf-8") as f:
        geometry = json.load(f)["features"][0]["geometry"]
    return {"type": "Polygon", "coordinates": [ring_rounded(r) for r in geometry["coordinates"]]}


def point(lon, lat):
    return {"type": "Point", "coordinates": [lon, lat]}


def feature(fid, geometry, name, kind, names, description, source, aliases=(), anchor=None):
    properties = {"name": name}
    for lang, localized in names.items():
        properties[f"name:{lang}"] = localized
    properties["kind"] = kind
    properties["aliases"] = list(aliases)
    properties["description"] = description
    properties["coordinates_source"] = source
    if anchor:
        properties["anchor"] = anchor
    properties["paragraphs"] = []
    return {"type": "Feature", "id": fid, "geometry": geometry, "properties": properties}


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    article, geodata, output = sys.argv[1:]
    title, dateline, paragraphs = load_article(article)

    features = [
        feature("nerkin-hand", point(46.52, 39.05), "Nerkin Hand", "village",
                {"hy": "Ներքին Հանդ", "az": "Nerkin Hand", "ru": "Неркин Анд", "tr": "Nerkin Hand",
                 "de": "Nerkin Hand", "fr": "Nerkin Hand", "ar": "نيركين هاند"},
                "Village in Syunik Province, Armenia, on the Basutchay (Tsav) river a few hundred "
                "metres from the border with Azerbaijan, south-east of Kapan. Its position is "
                "approximate: no open gazetteer lists it, and the marker may be off by about 3 km.",
                "Approximate, from press reports (about 39.05° N, 46.52° E, ±3 km)"),
        feature("syunik", province(geodata, "AM-SU"), "Syunik", "region",
                {"hy": "Սյունիք", "az": "Sünik", "ru": "Сюник", "tr": "Sünik",
                 "de": "Sjunik", "fr": "Syunik", "ar": "سيونيك"},
                "The southernmost province of Armenia, between Azerbaijan proper and Nakhchivan; "
                "its capital is Kapan.",
                "Outline: Natural Earth 1:10m admin-1 (AM-SU), public domain",
                aliases=["Siunik", "Syunik Province"], anchor=[46.20, 39.33]),
        feature("karabakh", nkao(geodata), "Karabakh", "region",
                {"hy": "Ղարաբաղ", "az": "Qarabağ", "ru": "Карабах", "tr": "Karabağ",
                 "de": "Karabach", "fr": "Karabagh", "ar": "قره باغ"},
                "Nagorno-Karabakh, internationally recognised as part of Azerbaijan. The outline is "
                "the boundary of the former Nagorno-Karabakh Autonomous Oblast as of 1991.",
                "Outline: former NKAO boundary, Natural Earth (QGIS world_map), public domain",
                aliases=["Nagorno-Karabakh", "Nagorny Karabakh", "Upper Karabakh"],
                anchor=[46.76, 39.92]),
        feature("baku", point(49.8920, 40.3777), "Baku", "city",
                {"hy": "Բաքու", "az": "Bakı", "ru": "Баку", "tr": "Bakü",
                 "de": "Baku", "fr": "Bakou", "ar": "باكو"},
                "Capital of Azerbaijan, on the Caspian Sea.",
                "GeoNames 587084 (CC BY 4.0)"),
        feature("yerevan", point(44.5136, 40.1811), "Yerevan", "city",
                {"hy": "Երևան", "az": "İrəvan", "ru": "Ереван", "tr": "Erivan",
                 "de": "Jerewan", "fr": "Erevan", "ar": "يريفان"},
                "Capital of Armenia.",
                "GeoNames 616052 (CC BY 4.0)"),
        feature("moscow", point(37.6178, 55.7517), "Moscow", "city",
                {"hy": "Մոսկվա", "az": "Moskva", "ru": "Москва", "tr": "Moskova",
                 "de": "Moskau", "fr": "Moscou", "ar": "موسكو"},
                "Capital of Russia. The Kremlin, seat of the Russian president, stands for the "
                "Russian government in the story.",
                "Moscow Kremlin, 55.7517° N, 37.6178° E",
                aliases=["Kremlin"]),
    ]

    story = {
        "type": "FeatureCollection",
        "story": {
            "title": title,
            "dateline": dateline,
            "date": "2024-02-13",
            "source": "News report",
            "language": "en",
            "view": [43.2, 38.3, 50.6, 41.7],
            "paragraphs": paragraphs,
        },
        "features": features,
    }

    with open(output, "w", encoding="utf-8") as f:
        json.dump(story, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
