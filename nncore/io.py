"""The model file format: one .npz holding named weight arrays plus a JSON architecture record.

    architecture   JSON text (as bytes): {"format": "nncore.Sequential", "version": 1,
                   "dtype": "float32", "input_shape": [...] | null,
                   "layers": [{"type": "Dense", "config": {"n_in": 2, ...}}, ...]}
    layer<i>.<key> one array per weight, e.g. layer0.W, layer0.b

This module only moves bytes: `write(file, architecture, arrays)` and
`read(file) → (architecture, arrays)`. It knows nothing of layer classes; turning the record into
layers is `nncore.architecture`, and `Sequential.save` / `nncore.load` join the two.

Reading never unpickles (`allow_pickle=False`) and checks what it can without knowing any layer:
a readable .npz, an architecture record that is JSON with the right format marker, version,
dtype and a layer list. `nncore.architecture` checks the rest (known layer types, sensible
arguments, every weight present with the right shape, finite floats, nothing extra). Whatever is
wrong raises `ModelFileError` with a clear reason.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
import zlib
from typing import Any, BinaryIO

import numpy as np

FORMAT, VERSION = "nncore.Sequential", 1
DTYPES = ("float32", "float64")
RECORD = "architecture"  # the name of the JSON record inside the .npz
MAX_VALUES = 20_000_000  # numbers in all arrays together: 80 MB as float32, far above any lesson
MAX_RECORD_BYTES = 1_000_000  # the architecture record's JSON

File = str | os.PathLike | BinaryIO


class ModelFileError(ValueError):
    """The bytes are not a model this version of nncore can load (the message says why)."""


def array_name(layer_index: int, key: str) -> str:
    """The name a weight array has in the file: layer 0's "W" is stored as "layer0.W"."""
    return f"layer{layer_index}.{key}"


def check_header(architecture: Any) -> None:
    """Raise ModelFileError unless the record has our format marker, version, dtype and layers."""
    if not isinstance(architecture, dict) or architecture.get("format") != FORMAT:
        raise ModelFileError("this is not an nncore model (format marker missing)")
    if architecture.get("version") != VERSION:
        raise ModelFileError(f"unsupported model file version {architecture.get('version')!r}")
    if architecture.get("dtype") not in DTYPES:
        raise ModelFileError(f"unsupported dtype {architecture.get('dtype')!r}")
    entries = architecture.get("layers")
    if not isinstance(entries, list) or not entries:
        raise ModelFileError("the model has no layer list")


def write(file: File, architecture: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write the arrays and the architecture record as .npz to a path or a binary file object."""
    record = json.dumps(architecture).encode()
    contents = {**arrays, RECORD: np.frombuffer(record, dtype=np.uint8)}
    if isinstance(file, str | os.PathLike):
        with open(file, "wb") as handle:
            np.savez_compressed(handle, **contents)
    else:
        np.savez_compressed(file, **contents)


def to_bytes(architecture: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """What `write` would put in a file, as bytes."""
    buffer = io.BytesIO()
    write(buffer, architecture, arrays)
    return buffer.getvalue()


def read(
    file: File | bytes, max_values: int = MAX_VALUES
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """(architecture, arrays) from a path, a binary file or bytes; the header is checked.

    Before any array is decompressed, the sizes its header declares are added up: a file that
    declares more than `max_values` numbers (a small .npz can declare a huge zero matrix) or an
    architecture record over MAX_RECORD_BYTES is refused without reading it.
    """
    if isinstance(file, bytes | bytearray | memoryview):
        file = io.BytesIO(bytes(file))
    try:
        _check_sizes(file, max_values)
        archive = np.load(file, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise ModelFileError("not an .npz model file")
        with archive:
            names = set(archive.files)
            if RECORD not in names:
                raise ModelFileError("not an nncore model file (no architecture record)")
            record = archive[RECORD]
            if record.dtype != np.uint8 or record.ndim != 1:
                raise ModelFileError("the architecture record is malformed")
            architecture = _parse_record(record.tobytes())
            arrays = {name: archive[name] for name in names - {RECORD}}
    except (ModelFileError, FileNotFoundError):
        raise
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile, zlib.error) as error:
        raise ModelFileError(f"not a readable model file: {error}") from None
    check_header(architecture)
    return architecture, arrays


def _check_sizes(file: File, max_values: int) -> None:
    """Refuse a file whose arrays declare more than `max_values` numbers, from headers alone."""
    if not isinstance(file, str | os.PathLike):
        start = file.tell()
    with zipfile.ZipFile(file) as archive:
        total = 0
        for info in archive.infolist():
            if info.filename == f"{RECORD}.npy":
                if info.file_size > MAX_RECORD_BYTES + 256:
                    raise ModelFileError("the architecture record is too large")
                continue
            with archive.open(info) as member:
                version = np.lib.format.read_magic(member)
                if version not in ((1, 0), (2, 0), (3, 0)):
                    raise ModelFileError(f"unsupported array format in {info.filename}")
                read_header = (
                    np.lib.format.read_array_header_1_0
                    if version == (1, 0)
                    else np.lib.format.read_array_header_2_0
                )
                shape, _, _ = read_header(member)
            total += int(np.prod(shape, dtype=np.float64))
            if total > max_values:
                raise ModelFileError(
                    f"the model is too large: over {max_values:,} numbers in its arrays"
                )
    if not isinstance(file, str | os.PathLike):
        file.seek(start)


def _parse_record(data: bytes) -> Any:
    """The architecture record's JSON; nesting too deep to parse is a malformed record."""
    try:
        return json.loads(data.decode("utf-8"))
    except RecursionError:
        raise ModelFileError("the architecture record is nested too deeply") from None
