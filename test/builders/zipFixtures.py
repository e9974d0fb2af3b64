"""Builds the zip archives zip.test.ts reads, with CPython's own zipfile, from a folder on disk.

Usage: python3 zipFixtures.py SOURCE_DIR OUT_DIR

Writes into OUT_DIR:
  stored.zip       every file stored, under one top folder "proj/", with directory entries
  deflated.zip     every file deflated, at the archive root, no directory entries
  zip64.zip        ZIP64 throughout: local ZIP64 extras (force_zip64), central directory ZIP64 extras and
                   a ZIP64 end record (ZIP64_LIMIT lowered so small files need them), and the classic end
                   record saturated to 0xFFFF/0xFFFFFFFF so only the ZIP64 record tells the truth
  unsupported.zip  ok.py plus entries a browser cannot unpack: encrypted, zstd, a symlink
  bomb.zip         one deflated entry whose declared size is smaller than what it inflates to
"""

import os
import struct
import sys
import zipfile


def source_files(src):
    """(archive path, bytes) for every file, and every folder path, in a stable order."""
    files, folders = [], []
    for root, dirs, names in os.walk(src):
        dirs.sort()
        rel = os.path.relpath(root, src).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        if prefix:
            folders.append(prefix)
        for name in sorted(names):
            with open(os.path.join(root, name), "rb") as f:
                files.append((prefix + name, f.read()))
    return files, folders


def write_plain(path, src, compression, top, with_dirs):
    files, folders = source_files(src)
    with zipfile.ZipFile(path, "w", compression) as zf:
        if with_dirs:
            for folder in [""] + folders:
                if top + folder:
                    zf.writestr(zipfile.ZipInfo(top + folder), b"")
        for name, data in files:
            zf.writestr(top + name, data)


def write_zip64(path, src):
    files, _ = source_files(src)
    limit = zipfile.ZIP64_LIMIT
    zipfile.ZIP64_LIMIT = 64  # read at write time: sizes and offsets over 64 bytes now need ZIP64 fields
    try:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            for name, data in files:
                info = zipfile.ZipInfo(name)
                info.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(info, "w", force_zip64=True) as out:
                    out.write(data)
    finally:
        zipfile.ZIP64_LIMIT = limit
    with open(path, "r+b") as f:
        f.seek(-22, os.SEEK_END)
        eocd = bytearray(f.read(22))
        assert eocd[:4] == b"PK\x05\x06"
        struct.pack_into("<HHII", eocd, 8, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
        f.seek(-22, os.SEEK_END)
        f.write(eocd)


def patch_entry(path, name, flags=None, method=None, size=None):
    """Rewrites fields of one entry in both its local header and its central directory header."""
    with zipfile.ZipFile(path) as zf:
        local = zf.getinfo(name).header_offset
        central = zf.start_dir
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        central = data.index(name.encode(), central) - 46  # its name follows the 46-byte fixed part
        for header, shift in ((local, 0), (central, 2)):
            if flags is not None:
                struct.pack_into("<H", data, header + 6 + shift, flags)
            if method is not None:
                struct.pack_into("<H", data, header + 8 + shift, method)
            if size is not None:
                struct.pack_into("<I", data, header + 22 + shift, size)
        f.seek(0)
        f.write(data)


def write_unsupported(path):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("ok.py", "x = 1\n", zipfile.ZIP_DEFLATED)
        zf.writestr("enc.py", "secret = 1\n", zipfile.ZIP_STORED)
        zf.writestr("enc.txt", "secret\n", zipfile.ZIP_STORED)
        zf.writestr("zstd.py", "y = 2\n", zipfile.ZIP_STORED)
        link = zipfile.ZipInfo("link.py")
        link.create_system = 3  # Unix, so the high bits of external_attr are st_mode
        link.external_attr = (0o120777 << 16)
        zf.writestr(link, "ok.py")
    patch_entry(path, "enc.py", flags=0x1)
    patch_entry(path, "enc.txt", flags=0x1)
    patch_entry(path, "zstd.py", method=93)


def write_bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.py", "x = 0\n" * 10_000)
    patch_entry(path, "bomb.py", size=600)


if __name__ == "__main__":
    src, out = sys.argv[1], sys.argv[2]
    write_plain(os.path.join(out, "stored.zip"), src, zipfile.ZIP_STORED, "proj/", True)
    write_plain(os.path.join(out, "deflated.zip"), src, zipfile.ZIP_DEFLATED, "", False)
    write_zip64(os.path.join(out, "zip64.zip"), src)
    write_unsupported(os.path.join(out, "unsupported.zip"))
    write_bomb(os.path.join(out, "bomb.zip"))
