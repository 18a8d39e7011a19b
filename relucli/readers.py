"""Reading values from a file or stdin, bounded: a ``.npy`` array is checked from its
header (size, dtype, the bytes really there) before anything is loaded, and text is
parsed as it streams in, up to MAX_TEXT_BYTES, into compact arrays (never a Python
float per value for long), so that ``/dev/zero``, a huge pipe or a lying header is
refused early and cheaply.

Text: numbers separated by commas, semicolons or white space (see
:func:`relucli.inputs.parse_numbers`), ``#`` comments, one header line of names at most,
fields in double quotes as CSV writes them; a table keeps its rows and columns when
every line has the same count, and lines of different counts are refused rather than
flattened.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys
from array import array
from pathlib import Path
from typing import IO, Callable

#: Called with the number of values about to be made, before they are: it raises to
#: refuse them (a caller's memory check).
SizeCheck = Callable[[int], None]

import numpy as np

from .errors import FileError, InputError

#: The largest number of values a range or file may produce (10^8 float32 values
#: are 400 MB, and evaluating them needs a few times that).
MAX_VALUES = 100_000_000
#: The most text read as input (about 3*10^7 numbers; a .npy file holds more).
MAX_TEXT_BYTES = 256 << 20
#: NumPy's own limit on the header of a .npy file that it will parse.
MAX_NPY_HEADER = 10_000

NPY_MAGIC = b"\x93NUMPY"
_HEADER_WORD = re.compile(r"[A-Za-z_][\w.()-]*")
_FLUSH = 1 << 16  # values gathered in a list before they become an array


def open_source(path: str, stdin=None) -> tuple[IO[bytes], str, int | None]:
    """The byte stream of ``path`` (``-``: stdin), its name for messages, and its size
    when it is a regular file."""
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return stream, "stdin", None
    file = Path(path)
    if not file.exists():
        raise FileError(f"{path}: no such file")
    if file.is_dir():
        raise FileError(f"{path} is a folder, not a file")
    try:
        handle = file.open("rb")
    except PermissionError:
        raise FileError(f"{path}: permission denied") from None
    except OSError as exc:
        raise FileError(f"{path}: {exc.strerror or exc}") from None
    size = file.stat().st_size if file.is_file() else None
    return handle, str(path), size


def read_values(path: str, stdin=None, overflow: list | None = None,
                check_size: SizeCheck | None = None) -> tuple[np.ndarray, bool]:
    """Values from a file: ``.npy`` (any shape) or text (``.txt``, ``.csv``, ...); ``-``
    reads stdin, text or ``.npy`` bytes. Returns the array and whether it was parsed
    from text. ``check_size(count)`` is called before a ``.npy`` array is loaded."""
    handle, where, size = open_source(path, stdin)
    try:
        head = _read_exactly(handle, len(NPY_MAGIC))
        if head == NPY_MAGIC:
            return read_npy(handle, where, size, check_size), False
        if path != "-" and Path(path).suffix.lower() == ".npy":
            raise InputError(f"{path} has no .npy header (is it text named .npy?)")
        return parse_text_stream(handle, head, where, overflow), True
    except OSError as exc:
        raise FileError(f"{where}: {exc.strerror or exc}") from None
    finally:
        if path != "-":
            handle.close()


def _read_exactly(handle: IO[bytes], count: int) -> bytes:
    """Up to ``count`` bytes (fewer only at the end of the stream)."""
    parts, left = [], count
    while left > 0:
        part = handle.read(left)
        if isinstance(part, str):
            part = part.encode()
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def read_npy(handle: IO[bytes], where: str, size: int | None,
             check_size: SizeCheck | None = None) -> np.ndarray:
    """The array after the magic bytes of a ``.npy``: its header read and checked
    (version, dtype, count, the bytes the file really holds, the memory) first."""
    from numpy.lib import format as npy

    from .resources import check_memory, human_bytes

    version = _read_exactly(handle, 2)
    if version not in (b"\x01\x00", b"\x02\x00"):
        raise InputError(f"{where} is a .npy file of a version relu does not read "
                         "(it reads 1.0 and 2.0)")
    length_field = _read_exactly(handle, 2 if version == b"\x01\x00" else 4)
    length = int.from_bytes(length_field, "little")
    if length > MAX_NPY_HEADER:
        raise InputError(f"{where} has a .npy header over {MAX_NPY_HEADER:,} bytes; "
                         "relu reads plain numeric arrays")
    header = _read_exactly(handle, length)
    if b"'bfloat16'" in header:  # ml_dtypes' name for it: np.dtype knows it once imported
        from .dtypes import bfloat16

        bfloat16()
    try:
        read = npy.read_array_header_1_0 if version == b"\x01\x00" else npy.read_array_header_2_0
        shape, fortran, dtype = read(io.BytesIO(length_field + header), MAX_NPY_HEADER)
    except ValueError as exc:
        if "max_header_size" in str(exc):
            raise InputError(f"{where} has a .npy header over {MAX_NPY_HEADER:,} bytes; "
                             "relu reads plain numeric arrays") from None
        raise InputError(f"{where} is not a valid .npy file ({exc})") from None
    if dtype.hasobject:
        raise InputError(f"{where} holds Python objects; relu reads numeric arrays only")
    count = math.prod(shape)
    nbytes = count * dtype.itemsize
    if count > MAX_VALUES:
        raise InputError(f"{where} holds {count:,} values; the limit is {MAX_VALUES:,}")
    if size is not None:
        held = size - handle.tell()
        if held < nbytes:
            raise InputError(f"{where} is not a valid .npy file (truncated: its header "
                             f"promises {count:,} values, {human_bytes(nbytes)}, and "
                             f"{human_bytes(max(held, 0))} follow)")
    if check_size is not None:
        check_size(count)
    check_memory(nbytes * 2.0, f"reading {where} ({count:,} values)")
    if size is not None and hasattr(handle, "fileno"):
        values = np.fromfile(handle, dtype=dtype, count=count)
    else:  # a pipe: into one buffer of the promised size, a chunk at a time
        buffer = bytearray(nbytes)
        filled = 0
        while filled < nbytes:
            chunk = _read_exactly(handle, min(nbytes - filled, 1 << 20))
            if not chunk:
                break
            buffer[filled:filled + len(chunk)] = chunk
            filled += len(chunk)
        if filled < nbytes:
            raise InputError(f"{where} is not a valid .npy file (truncated: its header "
                             f"promises {count:,} values and {human_bytes(filled)} follow)")
        values = np.frombuffer(buffer, dtype=dtype)
    if values.size < count:
        raise InputError(f"{where} is not a valid .npy file (truncated)")
    return values.reshape(shape, order="F" if fortran else "C")


class _Bounded(io.RawIOBase):
    """A byte stream that refuses to give more than MAX_TEXT_BYTES (after ``head``)."""

    def __init__(self, handle: IO[bytes], head: bytes, where: str):
        self.handle, self.head, self.where, self.total = handle, head, where, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            data, self.head = self.head[:len(buffer)], self.head[len(buffer):]
        else:
            data = self.handle.read(len(buffer))
            if isinstance(data, str):
                data = data.encode()
        if self.total < 4096 and b"\x00" in data[:4096 - self.total]:  # the first 4 KiB
            raise InputError(f"{self.where} looks binary, not text or .npy")
        self.total += len(data)
        if self.total > MAX_TEXT_BYTES:
            from .resources import human_bytes

            raise InputError(f"{self.where} holds more than {human_bytes(MAX_TEXT_BYTES)} "
                             "of text; give a .npy file for inputs this large")
        buffer[:len(data)] = data
        return len(data)


def parse_text_stream(handle: IO[bytes], head: bytes, where: str,
                      overflow: list | None = None) -> np.ndarray:
    """Numbers from text as it streams in (UTF-8, with or without a BOM)."""
    text = io.TextIOWrapper(io.BufferedReader(_Bounded(handle, head, where), 1 << 16),
                            encoding="utf-8-sig", newline=None)
    try:
        return parse_lines(text, where, overflow)
    except UnicodeDecodeError:
        raise InputError(f"{where} is not UTF-8 text or a .npy file") from None


def parse_lines(lines, where: str, overflow: list | None = None) -> np.ndarray:
    """Numbers from lines of text; a table with the same count on every line keeps its
    rows and columns; one header line of names is skipped.

    >>> parse_lines(["x, y", "1, 2", "3, 4"], "t").tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    >>> parse_lines(['"a";"b"', '"1.5";"2"'], "t").tolist()
    [1.5, 2.0]
    """
    from .inputs import parse_numbers

    chunks: list[np.ndarray] = []
    pending: list[float] = []
    lengths = array("q")
    header_at = None
    total = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        place = f"{where}, line {number}"
        if '"' in line:
            line = _unquote(line, place)
        try:
            values = parse_numbers(line, place, overflow)
        except InputError:
            words = [w for w in re.split(r"[,;\s]+", line) if w]
            if lengths or header_at is not None or not all(map(_HEADER_WORD.fullmatch, words)):
                raise
            header_at = number  # the one header line of names: skipped
            continue
        lengths.append(len(values))
        pending.extend(values)
        total += len(values)
        if total > MAX_VALUES:
            raise InputError(f"{where} holds more than {MAX_VALUES:,} values")
        if len(pending) >= _FLUSH:
            chunks.append(np.array(pending, dtype=np.float64))
            pending = []
    chunks.append(np.array(pending, dtype=np.float64))
    flat = np.concatenate(chunks)
    widths = np.unique(np.frombuffer(lengths, dtype=np.int64)) if lengths else np.array([])
    if len(widths) > 1:
        first = lengths[0]
        row = next(i for i, n in enumerate(lengths) if n != first)
        raise InputError(f"{where}: data row {row + 1} has {lengths[row]} values where the "
                         f"first has {first}; give a table with the same count on every "
                         "line, or the values one per line or all on one line")
    if len(lengths) > 1 and len(widths) == 1 and widths[0] > 1:
        return flat.reshape(len(lengths), int(widths[0]))
    return flat


def _unquote(line: str, place: str) -> str:
    """A CSV line with quoted fields, as the values alone, space separated."""
    delimiter = ";" if ";" in line and "," not in line.replace('","', "") else ","
    try:
        fields = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        raise InputError(f"{place}: unbalanced quotes") from None
    for field in fields:
        if re.search(r"[,;\s]", field.strip()):
            raise InputError(f"not a number: {field!r} (in {place})")
    return " ".join(field.strip() for field in fields)
