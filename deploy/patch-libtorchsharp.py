#!/usr/bin/env python3
"""Marks the GLIBCXX_3.4.32 version requirement of libLibTorchSharp.so as weak (VER_FLG_WEAK).

Usage: patch-libtorchsharp.py DIR [DIR ...]   (every libLibTorchSharp.so below each DIR is patched in place)

Why: TorchSharp 0.107's glue library asks for GLIBCXX_3.4.32 (GCC 13) for one symbol,
_ZSt21ios_base_library_initv, which it never relocates against. Debian 12's libstdc++ ends at
3.4.30, so the dynamic loader refuses the library. A weak version requirement is accepted when
missing. The patch is idempotent and harmless where the newer libstdc++ exists.
"""
import os
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2
TARGET = b"GLIBCXX_3.4.32"


def patch(path: str) -> bool:
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ValueError(f"{path}: not a little-endian ELF64 file")
        e_shoff, = struct.unpack_from("<Q", data, 0x28)
        e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
        changed = False
        for (_, sh_type, _, _, sh_offset, _, sh_link, sh_info, _, _) in sections:
            if sh_type != SHT_GNU_VERNEED:
                continue
            strtab_offset = sections[sh_link][4]
            need = sh_offset
            for _ in range(sh_info):
                _, vn_cnt, _, vn_aux, vn_next = struct.unpack_from("<HHIII", data, need)
                aux = need + vn_aux
                for _ in range(vn_cnt):
                    _, vna_flags, _, vna_name, vna_next = struct.unpack_from("<IHHII", data, aux)
                    name_start = strtab_offset + vna_name
                    name = bytes(data[name_start:data.index(0, name_start)])
                    if name == TARGET and not vna_flags & VER_FLG_WEAK:
                        struct.pack_into("<H", data, aux + 4, vna_flags | VER_FLG_WEAK)
                        changed = True
                    aux += vna_next
                need += vn_next
        if changed:
            f.seek(0)
            f.write(data)
        return changed


def main() -> None:
    for root in sys.argv[1:]:
        if not root or not os.path.isdir(root):
            continue
        for folder, _, files in os.walk(root):
            if "libLibTorchSharp.so" in files:
                path = os.path.join(folder, "libLibTorchSharp.so")
                if patch(path):
                    print(f"patched {path}")


if __name__ == "__main__":
    main()
