"""Tiny OLE compound files (inside .doc, .xls and .wps) for tests, written by hand: no library here writes them."""

from __future__ import annotations

import struct
import uuid

SECTOR = 512
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MINI_CUTOFF = 4096
SUMMARY_ID = uuid.UUID("f29f85e0-4ff9-1068-ab91-08002b27b3d9")


def summary_information(author: str) -> bytes:
    """A SummaryInformation property set holding one property: the author."""
    value = author.encode("ascii") + b"\0"
    value += b"\0" * (-len(value) % 4)
    prop = struct.pack("<II", 0x1E, len(value)) + value  # VT_LPSTR
    section = struct.pack("<II", 8 + 8 + len(prop), 1) + struct.pack("<II", 4, 16) + prop  # PIDSI_AUTHOR
    header = struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, b"\0" * 16, 1) + SUMMARY_ID.bytes_le
    return header + struct.pack("<I", 48) + section


def word_stream(encrypted: bool = False) -> bytes:
    """The start of a WordDocument stream: the FIB's magic number and its flags."""
    return struct.pack("<HHHHHH", 0xA5EC, 0x00C1, 0, 0x0804, 0, 0x0100 if encrypted else 0)


def _entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB", len(encoded), kind, 1)
        + struct.pack("<III", NO_STREAM, right, child)
        + b"\0" * 16
        + struct.pack("<I", 0)
        + b"\0" * 16
        + struct.pack("<II", start, size)
        + b"\0" * 4
    )


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A compound file with `streams` ("Storage/Stream" paths, one level of storage at most), each padded past
    the mini-stream cutoff so that every stream lives in ordinary sectors."""
    storages: dict[str, list[str]] = {"": []}
    for path in streams:
        if "/" in path:
            storage, _ = path.split("/", 1)
            if storage not in storages:
                storages[storage] = []
                storages[""].append(storage)
            storages[storage].append(path)
        else:
            storages[""].append(path)
    names = ["", *[n for n in storages[""]], *[p for s, kids in storages.items() if s for p in kids]]
    index = {name: number for number, name in enumerate(names)}
    data = {path: content.ljust(MINI_CUTOFF, b"\0") for path, content in streams.items()}
    directory_sectors = -(-len(names) * 128 // SECTOR)
    next_sector = 1 + directory_sectors
    fat = [FAT_SECTOR] + [n + 1 if n < directory_sectors else END for n in range(1, directory_sectors + 1)]
    starts: dict[str, int] = {}
    body = b""
    for path, content in data.items():
        count = -(-len(content) // SECTOR)
        starts[path] = next_sector
        fat += [next_sector + i + 1 for i in range(count - 1)] + [END]
        body += content.ljust(count * SECTOR, b"\0")
        next_sector += count
    assert len(fat) <= SECTOR // 4, "one FAT sector is enough for a test file"
    fat += [FREE] * (SECTOR // 4 - len(fat))

    def siblings(children: list[str]) -> dict[str, int]:
        return {
            child: index[children[i + 1]] if i + 1 < len(children) else NO_STREAM for i, child in enumerate(children)
        }

    right = {**siblings(storages[""]), **{k: v for s, kids in storages.items() if s for k, v in siblings(kids).items()}}
    entries = b""
    for name in names:
        if name == "":
            entries += _entry("Root Entry", 5, index[storages[""][0]], NO_STREAM, END, 0)
        elif name in storages:
            entries += _entry(name, 1, index[storages[name][0]], right[name], 0, 0)
        else:
            entries += _entry(name.rsplit("/", 1)[-1], 2, NO_STREAM, right[name], starts[name], len(data[name]))
    entries = entries.ljust(directory_sectors * SECTOR, b"\0")
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, MINI_CUTOFF, END, 0, END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", FREE) * 108
    )
    return header + struct.pack(f"<{SECTOR // 4}I", *fat) + entries + body
