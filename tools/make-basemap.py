#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build the offline basemap (data/basemap/basemap.bin) from region extracts.

Usage: tools/make-basemap.py GEODATA_DIR [OUTPUT]

GEODATA_DIR holds the files named in data/basemap/README.md.  The output is
a little-endian file laid out so that the application can read it in place:

  header    176 bytes  magic "SMBM", version, sizes and offsets, then a
                       table of 16 (first feature, feature count) pairs,
                       one per layer
  features  48 bytes each, sorted by layer:
            u8 layer, u8 flags, u16 zoom mask (bit z: shown at zoom z,
            bit 15: zoom 15 and deeper), i32 bbox x0 y0 x1 y1,
            u32 first part, u32 part count,
            u32 name, u32 local name, u32 Armenian name, u32 Russian name
            (offsets into the string table, 0 for none), u32 value
  parts     24 bytes each: u32 first point, u32 point count, i32 bbox
  points    4 bytes each: u16 x, u16 y, a fraction of the part's bbox in
            65535ths (x = x0 + qx * (x1 - x0) / 65535), which keeps errors
            under 10 m in the region and under 0.1 px at zoom 6 elsewhere
  strings   NUL-terminated UTF-8, starting with an empty string

Coordinates are Web Mercator scaled so that the world is 2^30 units wide,
x growing east from 180°W and y growing south from 85.0511°N, so that a
tile at zoom z is 2^(22 - z) units wide.
"""

import argparse
import array
import csv
import json
import math
import os
import struct
import sys

MAGIC = b"SMBM"
VERSION = 1
WORLD = 1 << 30
MAX_LAT = 85.0511287798
HEADER_SIZE = 176
MAX_LAYERS = 16

# Keep in step with StoryBasemapLayer in src/story-basemap.h.
(LAYER_WORLD_LAND, LAYER_WORLD_BORDER, LAYER_REGION_LAND, LAYER_REGION_BORDER,
 LAYER_LAKE, LAYER_RIVER, LAYER_PROVINCE, LAYER_PROVINCE_BORDER,
 LAYER_DISPUTED, LAYER_LABEL_COUNTRY, LAYER_LABEL_PROVINCE,
 LAYER_LABEL_CITY) = range(12)
N_LAYERS = 12

# Feature flags, see StoryBasemapFlags.
FLAG_CAPITAL = 1 << 0
FLAG_DISPUTED = 1 << 1
FLAG_REGION_HOLE = 1 << 2
RANK_SHIFT = 4              # bits 4-5: label rank, 0 most important

# The detailed region: outside it, tiles show the world layer only.
REGION = (38.0, 37.5, 51.5, 44.5)   # west, south, east, north

ALL_ZOOMS = 0xFFFF

# Translations of the country names the region shows.
COUNTRY_NAMES = {
    "Armenia": ("Հայաստան", "Армения"),
    "Azerbaijan": ("Ադրբեջան", "Азербайджан"),
    "Georgia": ("Վրաստան", "Грузия"),
    "Turkey": ("Թուրքիա", "Турция"),
    "Iran": ("Իրան", "Иран"),
    "Russia": ("Ռուսաստան", "Россия"),
    "Kazakhstan": ("Ղազախստան", "Казахстан"),
}

NKAO_NAME = ("Nagorno-Karabakh", "Լեռնային Ղարաբաղ", "Нагорный Карабах")


def project(lon, lat):
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    s = math.sin(math.radians(lat))
    x = (lon + 180.0) / 360.0
    y = 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    return (max(0, min(WORLD, round(x * WORLD))),
            max(0, min(WORLD, round(y * WORLD))))


def units_per_pixel(zoom):
    return float(1 << 22) / (1 << zoom)


# --- geometry helpers -------------------------------------------------------

def simplify(points, tolerance):
    """Douglas-Peucker, keeping both ends; points are (x, y) tuples."""
    if len(points) < 3 or tolerance <= 0:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    tol2 = tolerance * tolerance
    while stack:
        first, last = stack.pop()
        ax, ay = points[first]
        bx, by = points[last]
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        best, best_i = -1.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length2 == 0:
                d2 = (px - ax) ** 2 + (py - ay) ** 2
            else:
                t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
                d2 = (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2
            if d2 > best:
                best, best_i = d2, i
        if best > tol2:
            keep[best_i] = True
            stack.append((first, best_i))
            stack.append((best_i, last))
    return [p for p, k in zip(points, keep) if k]


def ring_area(ring):
    area = 0.0
    for i in range(len(ring) - 1):
        area += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
    return area / 2.0


def extent(ring):
    return max(max(x for x, _ in ring) - min(x for x, _ in ring),
               max(y for _, y in ring) - min(y for _, y in ring))


def ring_centroid(ring):
    a = cx = cy = 0.0
    for i in range(len(ring) - 1):
        (x0, y0), (x1, y1) = ring[i], ring[i + 1]
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if a == 0:
        return ring[0]
    return (round(cx / (3 * a)), round(cy / (3 * a)))


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    raise ValueError("unexpected geometry " + geometry["type"])


def lines_of(geometry):
    if geometry["type"] == "LineString":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiLineString":
        return geometry["coordinates"]
    raise ValueError("unexpected geometry " + geometry["type"])


def project_ring(ring):
    out = []
    for lon, lat in ring:
        p = project(lon, lat)
        if not out or out[-1] != p:
            out.append(p)
    return out


def on_region_edge(a, b):
    """True when the edge a-b runs along the region's clipping rectangle."""
    west, south, east, north = REGION
    for edge in (west, east):
        if a[0] == b[0] == edge:
            return True
    for edge in (south, north):
        if a[1] == b[1] == edge:
            return True
    return False


def shared_edges(owners_rings, same_group):
    """Lines along edges that two different owners share.

    owners_rings is a list of (owner, group, ring in lon/lat); an edge belongs
    to a line when another owner of the same group (same_group) or of any
    group has the same edge.  Each line is reported once."""
    edge_owners = {}
    for owner, group, ring in owners_rings:
        for a, b in zip(ring, ring[1:]):
            key = (min(a, b), max(a, b))
            edge_owners.setdefault(key, set()).add((owner, group))
    lines = []
    for owner, group, ring in owners_rings:
        def is_border(a, b):
            if a == b or on_region_edge(a, b):
                return False
            others = edge_owners[(min(a, b), max(a, b))] - {(owner, group)}
            others = [o for o in others if (not same_group or o[1] == group)]
            # Report each shared edge from the owner with the lowest key only.
            return bool(others) and all(owner < o[0] for o in others)
        edges = list(zip(ring, ring[1:]))
        flags = [is_border(a, b) for a, b in edges]
        if all(flags):
            lines.append(list(ring))
            continue
        if not any(flags):
            continue
        start = flags.index(False)
        edges = edges[start:] + edges[:start]
        flags = flags[start:] + flags[:start]
        current = []
        for (a, b), flag in zip(edges, flags):
            if flag:
                if not current:
                    current = [a]
                current.append(b)
            elif current:
                lines.append(current)
                current = []
        if current:
            lines.append(current)
    return lines


# --- output -----------------------------------------------------------------

def quantise(value, low, high):
    if high <= low:
        return 0
    return round((value - low) * 65535 / (high - low))


class Writer:
    def __init__(self):
        self.features = []      # (layer, sort key, record fields, parts)
        self.strings = {"": 0}
        self.string_data = bytearray(b"\0")

    def string(self, text):
        if not text:
            return 0
        if text not in self.strings:
            self.strings[text] = len(self.string_data)
            self.string_data += text.encode("utf-8") + b"\0"
        return self.strings[text]

    def add(self, layer, parts, flags=0, zooms=ALL_ZOOMS, names=("", "", "", ""),
            value=0, order=0):
        parts = [p for p in parts if p]
        if not parts:
            return
        self.features.append((layer, order, len(self.features), flags, zooms,
                              parts, [self.string(n) for n in names], value))

    def write(self, path):
        self.features.sort(key=lambda f: (f[0], f[1], f[2]))
        feature_data = bytearray()
        part_data = bytearray()
        points = array.array("H")
        layer_index = [[0, 0] for _ in range(MAX_LAYERS)]
        n_parts = 0
        for i, (layer, _, _, flags, zooms, parts, names, value) in enumerate(self.features):
            if layer_index[layer][1] == 0:
                layer_index[layer][0] = i
            layer_index[layer][1] += 1
            xs = [x for part in parts for x, _ in part]
            ys = [y for part in parts for _, y in part]
            feature_data += struct.pack("<BBH4i2I4II", layer, flags, zooms,
                                        min(xs), min(ys), max(xs), max(ys),
                                        n_parts, len(parts), *names, value)
            for part in parts:
                x0, y0 = min(x for x, _ in part), min(y for _, y in part)
                x1, y1 = max(x for x, _ in part), max(y for _, y in part)
                part_data += struct.pack("<II4i", len(points) // 2, len(part),
                                         x0, y0, x1, y1)
                for x, y in part:
                    points.append(quantise(x, x0, x1))
                    points.append(quantise(y, y0, y1))
                n_parts += 1
        while len(self.string_data) % 4:
            self.string_data += b"\0"
        if sys.byteorder != "little":
            points.byteswap()
        point_data = points.tobytes()

        features_off = HEADER_SIZE
        parts_off = features_off + len(feature_data)
        points_off = parts_off + len(part_data)
        strings_off = points_off + len(point_data)
        size = strings_off + len(self.string_data)
        header = struct.pack("<4sIII8I", MAGIC, VERSION, size, N_LAYERS,
                             len(self.features), features_off,
                             n_parts, parts_off,
                             len(points) // 2, points_off,
                             len(self.string_data), strings_off)
        header += b"".join(struct.pack("<II", *entry) for entry in layer_index)
        assert len(header) == HEADER_SIZE
        with open(path, "wb") as out:
            out.write(header)
            out.write(feature_data)
            out.write(part_data)
            out.write(point_data)
            out.write(self.string_data)
        return size, len(self.features), n_parts, len(points) // 2


# --- layers -----------------------------------------------------------------

def decode_topojson(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        coords = []
        for dx, dy in arc:
            x += dx
            y += dy
            coords.append((x * sx + tx, y * sy + ty))
        arcs.append(coords)
    return arcs


def arc_ring(arcs, indices):
    ring = []
    for index in indices:
        coords = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(coords if not ring else coords[1:])
    return ring


def geometry_polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def add_world(writer, topo, labels):
    # The world layer is drawn in detail up to zoom 6 only.
    tolerance = 0.6 * units_per_pixel(6)
    smallest = 1.0 * units_per_pixel(6)
    arcs = [simplify(project_ring(arc), tolerance) for arc in decode_topojson(topo)]

    for polygon in geometry_polygons(topo["objects"]["land"]["geometries"][0]):
        rings = [arc_ring(arcs, indices) for indices in polygon]
        rings = [r for r in rings if len(r) >= 4 and extent(r) >= smallest]
        if rings:
            writer.add(LAYER_WORLD_LAND, rings)

    users = {}
    for n, geometry in enumerate(topo["objects"]["countries"]["geometries"]):
        for polygon in geometry_polygons(geometry):
            for indices in polygon:
                for index in indices:
                    users.setdefault(index if index >= 0 else ~index, set()).add(n)
    for index, countries in sorted(users.items()):
        if len(countries) > 1 and len(arcs[index]) >= 2:
            writer.add(LAYER_WORLD_BORDER, [arcs[index]])

    for geometry in topo["objects"]["countries"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name")
        rings = [arc_ring(arcs, polygon[0]) for polygon in geometry_polygons(geometry)]
        rings = [r for r in rings if len(r) >= 4]
        if not name or not rings:
            continue
        largest = max(rings, key=lambda r: abs(ring_area(r)))
        hy, ru = COUNTRY_NAMES.get(name, ("", ""))
        labels.append(Label(LAYER_LABEL_COUNTRY, ring_centroid(largest),
                            (name, "", hy, ru), rank=0,
                            priority=(0, -sum(abs(ring_area(r)) for r in rings))))


def add_region(writer, geodata):
    countries = json.load(open(os.path.join(geodata, "osm_countries_cauc_s150m.geojson")))
    owners_rings = []
    for feature in countries["features"]:
        code = feature["properties"]["A3"]
        for polygon in polygons_of(feature["geometry"]):
            writer.add(LAYER_REGION_LAND, [project_ring(r) for r in polygon],
                       names=(code, "", "", ""))
            for ring in polygon:
                owners_rings.append((code, "", [tuple(p) for p in ring]))
    for line in shared_edges(owners_rings, same_group=False):
        writer.add(LAYER_REGION_BORDER, [project_ring(line)])


def add_provinces(writer, geodata, labels):
    provinces = json.load(open(os.path.join(geodata, "admin1_10m_am_az_ge.geojson")))
    owners_rings = []
    for feature in provinces["features"]:
        props = feature["properties"]
        name = props.get("name_en") or props["name"]
        local = props["name"] if props["name"] != name else ""
        polygons = polygons_of(feature["geometry"])
        rings = [project_ring(r) for polygon in polygons for r in polygon]
        area = sum(abs(ring_area(project_ring(p[0]))) for p in polygons)
        writer.add(LAYER_PROVINCE, rings,
                   names=(name, local, "", props.get("name_ru") or ""))
        for polygon in polygons:
            for ring in polygon:
                owners_rings.append((props["iso_3166_2"], props["iso_a2"],
                                     [tuple(p) for p in ring]))
        labels.append(Label(LAYER_LABEL_PROVINCE,
                            project(props["longitude"], props["latitude"]),
                            (name, local, "", props.get("name_ru") or ""),
                            rank=2, priority=(3, -area)))
    for line in shared_edges(owners_rings, same_group=True):
        writer.add(LAYER_PROVINCE_BORDER, [project_ring(line)])


def add_rings_of_polygons(polygons):
    """Outer rings and holes of each polygon, in the order GeoJSON gives them.
    The renderer fills with the even-odd rule, so a hole is just a ring."""
    return [project_ring(r) for polygon in polygons for r in polygon]


def add_nkao(writer, geodata, labels):
    nkao = json.load(open(os.path.join(geodata, "nkao_polygon.geojson")))
    for feature in nkao["features"]:
        polygons = polygons_of(feature["geometry"])
        rings = add_rings_of_polygons(polygons)
        writer.add(LAYER_DISPUTED, rings, flags=FLAG_DISPUTED,
                   names=(NKAO_NAME[0], "Artsakh", NKAO_NAME[1], NKAO_NAME[2]))
        labels.append(Label(LAYER_LABEL_PROVINCE, project(46.62, 40.02),
                            (NKAO_NAME[0], "", NKAO_NAME[1], NKAO_NAME[2]),
                            rank=1, flags=FLAG_DISPUTED, priority=(2, 0)))


def add_water(writer, geodata):
    lakes = json.load(open(os.path.join(geodata, "lakes_cauc.geojson")))
    for feature in lakes["features"]:
        name = feature["properties"].get("name") or ""
        # Lake Sevan is already a hole in the detailed land.
        flags = FLAG_REGION_HOLE if name == "Lake Sevan" else 0
        writer.add(LAYER_LAKE, add_rings_of_polygons(polygons_of(feature["geometry"])),
                   flags=flags, names=(name, "", "", ""))
    rivers = json.load(open(os.path.join(geodata, "rivers_cauc.geojson")))
    for feature in rivers["features"]:
        min_zoom = int(feature["properties"].get("min_zoom") or 0)
        zooms = ALL_ZOOMS & ~((1 << min_zoom) - 1)
        for line in lines_of(feature["geometry"]):
            writer.add(LAYER_RIVER, [project_ring(line)], zooms=zooms)


def in_region(lat, lon):
    west, south, east, north = REGION
    return west <= lon <= east and south <= lat <= north


def add_cities(geodata, labels):
    path = os.path.join(geodata, "gazetteer_cauc_geonames500.tsv")
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            lat, lon = float(row["lat"]), float(row["lon"])
            pop = int(row["pop"] or 0)
            code = row["fcode"]
            if code in ("PPLX", "PPLQ", "PPLW", "PPLH"):
                continue
            capital = code == "PPLC"
            local = in_region(lat, lon)
            if capital:
                rank = 0
            elif local and pop >= 200000:
                rank = 1
            elif local and (pop > 50000 or code == "PPLA"):
                rank = 2
            elif local and pop >= 10000:
                rank = 3
            else:
                continue
            labels.append(Label(LAYER_LABEL_CITY, project(lon, lat),
                                (row["name"], "", row["name_hy"], row["name_ru"]),
                                rank=rank, flags=FLAG_CAPITAL if capital else 0,
                                priority=((1 if rank < 2 else 4 + rank), -pop), value=pop))


# --- labels -----------------------------------------------------------------

# Text sizes in pixels by layer, rank and zoom; 0 hides the label.  The
# renderer (src/story-offline-source.c, label_size) keeps the same table.
def label_size(layer, rank, zoom):
    if layer == LAYER_LABEL_COUNTRY:
        if zoom < 2 or zoom > 8:
            return 0
        return 10 if zoom <= 2 else 11 if zoom <= 4 else 13 if zoom <= 6 else 15
    if layer == LAYER_LABEL_PROVINCE:
        first = 6 if rank == 1 else 7
        if zoom < first or zoom > 10:
            return 0
        return 11 if zoom <= 8 else 12
    first = (3, 6, 7, 9)[rank]
    if zoom < first:
        return 0
    if rank == 0:
        return 10 if zoom <= 4 else 11 if zoom <= 6 else 13 if zoom <= 8 else 15
    if rank == 1:
        return 11 if zoom <= 7 else 13 if zoom <= 9 else 14
    if rank == 2:
        return 10 if zoom <= 8 else 12 if zoom <= 10 else 13
    return 10 if zoom <= 10 else 11


class Label:
    def __init__(self, layer, point, names, rank, priority, flags=0, value=0):
        self.layer = layer
        self.point = point
        self.names = names
        self.rank = rank
        self.priority = priority
        self.flags = flags | (rank << RANK_SHIFT)
        self.value = value
        self.zooms = 0

    def box(self, zoom):
        size = label_size(self.layer, self.rank, zoom)
        if not size:
            return None
        upp = units_per_pixel(zoom)
        x, y = self.point[0] / upp, self.point[1] / upp
        width = max(len(n) for n in self.names if n) * size * 0.62 + 6
        height = size * 1.3 + 4
        if self.layer == LAYER_LABEL_CITY:
            # Text centred above a dot.
            return (x - width / 2, y - height - 3, x + width / 2, y + 5)
        return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def place_labels(labels):
    """Choose, for every zoom, the labels that fit without overlapping, most
    important first, so that every tile of a zoom agrees."""
    labels.sort(key=lambda l: l.priority)
    cell = 128.0
    for zoom in range(16):
        grid = {}
        for label in labels:
            box = label.box(zoom)
            if box is None:
                continue
            cells = [(cx, cy)
                     for cx in range(int(box[0] // cell), int(box[2] // cell) + 1)
                     for cy in range(int(box[1] // cell), int(box[3] // cell) + 1)]
            clash = False
            for c in cells:
                for other in grid.get(c, ()):
                    if (box[0] < other[2] and other[0] < box[2]
                            and box[1] < other[3] and other[1] < box[3]):
                        clash = True
                        break
                if clash:
                    break
            if clash:
                continue
            for c in cells:
                grid.setdefault(c, []).append(box)
            label.zooms |= 1 << zoom


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("geodata", help="folder with the source extracts")
    parser.add_argument("output", nargs="?",
                        default=os.path.join(os.path.dirname(__file__), "..",
                                             "data", "basemap", "basemap.bin"))
    args = parser.parse_args()

    writer = Writer()
    labels = []
    with open(os.path.join(args.geodata, "world_countries_50m.topo.json")) as f:
        add_world(writer, json.load(f), labels)
    add_region(writer, args.geodata)
    add_provinces(writer, args.geodata, labels)
    add_nkao(writer, args.geodata, labels)
    add_water(writer, args.geodata)
    add_cities(args.geodata, labels)

    place_labels(labels)
    for order, label in enumerate(labels):
        if label.zooms:
            writer.add(label.layer, [[label.point]], flags=label.flags,
                       zooms=label.zooms, names=label.names, value=label.value,
                       order=order)

    size, n_features, n_parts, n_points = writer.write(args.output)
    print(f"{args.output}: {size} bytes, {n_features} features, "
          f"{n_parts} parts, {n_points} points")


if __name__ == "__main__":
    main()
