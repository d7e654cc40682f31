#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus for fuzz-mbtiles: tiny MBTiles files, valid ones
in each layout we read and broken ones for each way we refuse a file.

    tests/fuzz/make-mbtiles-seeds.py [OUTPUT-DIR]

The files are kept small (512-byte pages, one or two 8x8 tiles) so that
the fuzzer's mutations land in the parts of the file that matter.
"""

import os
import sqlite3
import struct
import sys
import zlib

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus-mbtiles")


def png(width=256, height=256, rgb=(200, 120, 40)):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height))
            + chunk(b"IEND", b""))


def jpeg():
    """An 8x8 mid-grey baseline JPEG: one block whose only code is 'no change, end of block'."""
    def segment(marker, data):
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(data) + 2) + data

    dqt = b"\x00" + b"\x01" * 64
    sof = b"\x08" + struct.pack(">HH", 8, 8) + b"\x01" + b"\x01\x11\x00"
    # One code of length 1 in each table: DC category 0, AC end of block.
    dht_dc = b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00"
    dht_ac = b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00"
    sos = b"\x01" + b"\x01\x00" + b"\x00\x3f\x00"
    return (b"\xff\xd8" + segment(0xDB, dqt) + segment(0xC0, sof)
            + segment(0xC4, dht_dc) + segment(0xC4, dht_ac) + segment(0xDA, sos)
            + b"\x3f" + b"\xff\xd9")


STANDARD = """
CREATE TABLE metadata (name TEXT, value TEXT);
CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);
"""

# The layout mbutil writes: tiles is a view over deduplicated images.
DEDUPLICATED = """
CREATE TABLE metadata (name TEXT, value TEXT);
CREATE TABLE map (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_id TEXT);
CREATE TABLE images (tile_data BLOB, tile_id TEXT);
CREATE VIEW tiles AS SELECT map.zoom_level AS zoom_level, map.tile_column AS tile_column,
  map.tile_row AS tile_row, images.tile_data AS tile_data
  FROM map JOIN images ON images.tile_id = map.tile_id;
"""


def write(name, schema, metadata=(), tiles=(), extra=None):
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size = 512")
    db.executescript(schema)
    for key, value in metadata:
        db.execute("INSERT INTO metadata VALUES (?, ?)", (key, value))
    for z, x, y, data in tiles:
        db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, y, data))
    if extra:
        db.executescript(extra)
    db.commit()
    db.execute("VACUUM")
    db.close()
    return path


def write_bytes(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = [("name", "Seed"), ("format", "png"), ("minzoom", "0"), ("maxzoom", "1"),
            ("bounds", "-180,-85,180,85"), ("attribution", "<a href=\"x\">x</a>")]
    tile = png()

    valid = write("valid-png.mbtiles", STANDARD, meta,
                  [(0, 0, 0, tile), (1, 0, 1, tile), (1, 1, 0, png(rgb=(1, 2, 3)))])
    write("valid-jpeg.mbtiles", STANDARD,
          [("name", "J"), ("format", "jpg")], [(0, 0, 0, jpeg()), (1, 0, 0, jpeg())])
    write("valid-zoom-from-tiles.mbtiles", STANDARD, [("format", "png")],
          [(2, 1, 1, tile), (3, 0, 7, tile)])
    path = os.path.join(OUT, "valid-deduplicated.mbtiles")
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA page_size = 512")
    db.executescript(DEDUPLICATED)
    db.executemany("INSERT INTO metadata VALUES (?, ?)", meta)
    db.execute("INSERT INTO images VALUES (?, 'a')", (tile,))
    db.executemany("INSERT INTO map VALUES (?, ?, ?, 'a')", [(0, 0, 0), (1, 0, 0), (1, 1, 1)])
    db.commit()
    db.execute("VACUUM")
    db.close()

    # Refused files, one for each reason.
    write("bad-no-tiles.mbtiles", "CREATE TABLE metadata (name TEXT, value TEXT);", meta)
    write("bad-no-metadata.mbtiles", "CREATE TABLE tiles (zoom_level, tile_column, tile_row, tile_data);",
          (), [(0, 0, 0, tile)])
    write("bad-empty.mbtiles", STANDARD, [("format", "png")])
    write("bad-vector.mbtiles", STANDARD, [("format", "pbf")], [(0, 0, 0, b"\x1a\x00")])
    write("bad-webp.mbtiles", STANDARD, [("format", "webp")], [(0, 0, 0, b"RIFF")])
    write("bad-zoom.mbtiles", STANDARD, [("minzoom", "5"), ("maxzoom", "x")], [(0, 0, 0, tile)])
    write("bad-bounds.mbtiles", STANDARD, [("bounds", "1,2,3")], [(0, 0, 0, tile)])
    write("bad-tile-data.mbtiles", STANDARD, meta,
          [(0, 0, 0, b"not an image"), (1, 0, 1, tile[:40]), (1, 1, 0, None),
           (1, 0, 0, png(width=100000, height=1))])
    write("bad-columns.mbtiles", "CREATE TABLE metadata (k, v); CREATE TABLE tiles (a, b);")
    # A view that never ends: opening must give up instead of hanging.
    write("bad-endless-view.mbtiles",
          "CREATE TABLE metadata (name TEXT, value TEXT);"
          "CREATE VIEW tiles AS WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n)"
          " SELECT 0 AS zoom_level, 0 AS tile_column, 0 AS tile_row, zeroblob(10) AS tile_data FROM n"
          " WHERE i < 0;",
          [("format", "png"), ("minzoom", "0"), ("maxzoom", "0")])

    # Tiles of the wrong size: a small body that declares a large image.
    write("bad-tile-size.mbtiles", STANDARD, meta,
          [(0, 0, 0, tile), (1, 0, 1, png(width=2048, height=2048)), (1, 1, 0, png(width=512, height=512)),
           (1, 0, 0, png(width=128, height=128))])
    write("valid-2x.mbtiles", STANDARD, meta + [("tilesize", "512")],
          [(0, 0, 0, png(width=512, height=512)), (1, 0, 1, tile)])
    write("valid-2x-found.mbtiles", STANDARD, [("format", "png")],
          [(0, 0, 0, png(width=512, height=512)), (1, 0, 1, png(width=512, height=512))])
    write("bad-tilesize.mbtiles", STANDARD, meta + [("tilesize", "4096")], [(0, 0, 0, tile)])
    # Zoom levels that are not decimal integers, and a range with no tiles.
    write("bad-zoom-exponent.mbtiles", STANDARD, [("minzoom", "1e1"), ("maxzoom", "0x10")],
          [(0, 0, 0, tile)])
    write("bad-no-tiles-in-range.mbtiles", STANDARD, [("minzoom", "2"), ("maxzoom", "3")],
          [(1, 0, 0, tile), (4, 0, 0, tile)])
    # A 64 KiB attribution in one word, and one of unclosed tags.
    write("valid-long-attribution.mbtiles", STANDARD,
          [("attribution", "W" * 65536), ("minzoom", "0"), ("maxzoom", "0")], [(0, 0, 0, tile)])
    write("valid-open-tags.mbtiles", STANDARD,
          [("attribution", "<" * 65536), ("minzoom", "0"), ("maxzoom", "0")], [(0, 0, 0, tile)])
    # A file in WAL mode, closed cleanly.
    wal = write("valid-wal.mbtiles", STANDARD, meta, [(0, 0, 0, tile)])
    db = sqlite3.connect(wal)
    db.execute("PRAGMA journal_mode = WAL")
    db.close()

    with open(valid, "rb") as f:
        data = f.read()
    write_bytes("bad-truncated.mbtiles", data[:len(data) // 2])
    write_bytes("bad-header-only.mbtiles", data[:100])
    write_bytes("bad-not-sqlite.mbtiles", b"PK\x03\x04 this is a zip file, not a database\n")
    write_bytes("bad-empty-file.mbtiles", b"")


if __name__ == "__main__":
    main()
