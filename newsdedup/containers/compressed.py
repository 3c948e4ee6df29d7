"""Compressed streams: gzip, bz2 and xz from the standard library, zstd from `zstandard`.

Whatever the codec, a stream that breaks (a truncated download, a flipped bit) raises
`BrokenStream`, an `OSError` naming the codec: what was read before the break is kept by
the caller, which reports the position where the break was met.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from typing import BinaryIO, cast

import zstandard

_ERRORS = (EOFError, OSError, zlib.error, lzma.LZMAError, zstandard.ZstdError)


class BrokenStream(OSError):
    """Compressed data that cannot be decompressed past some point."""


def decompressed(handle: BinaryIO, compression: str) -> BinaryIO:
    """A buffered binary stream of `handle`'s decompressed bytes (`readline` bounded as
    the caller asks); its read errors are `BrokenStream`."""
    reader: object
    if compression == "gzip":
        reader = gzip.GzipFile(fileobj=handle, mode="rb")  # several members: one stream
    elif compression == "bz2":
        reader = bz2.BZ2File(handle)
    elif compression == "xz":
        reader = lzma.LZMAFile(handle)  # noqa: SIM115 (closed with the stream it feeds)
    elif compression == "zstd":
        reader = _ZstdFrames(handle)
    else:
        raise ValueError(f"unknown compression {compression!r}")
    checked = _Checked(cast(BinaryIO, reader), compression, handle)
    return cast(BinaryIO, io.BufferedReader(checked, buffer_size=1 << 16))


class _ZstdFrames:
    """The frames of a zstd stream one after another. zstandard's own stream reader ends
    quietly at a truncated frame; here an input that ends inside a frame is an error, as it
    is for gzip, bz2 and xz."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._frame = zstandard.ZstdDecompressor().decompressobj()
        self._pending = b""  # decompressed, not yet read
        self._started = False  # the current frame has had input

    def read(self, size: int) -> bytes:
        while len(self._pending) < size:
            chunk = self._handle.read(1 << 16)
            if not chunk:
                if self._started:
                    raise EOFError("compressed file ended inside a zstd frame")
                break
            while chunk:
                self._started = True
                self._pending += self._frame.decompress(chunk)
                if not self._frame.eof:
                    break
                chunk = self._frame.unused_data
                self._frame = zstandard.ZstdDecompressor().decompressobj()
                self._started = False
        data, self._pending = self._pending[:size], self._pending[size:]
        return data

    def close(self) -> None:
        self._pending = b""


class _Checked(io.RawIOBase):
    """A decompressing reader whose failures all read as `BrokenStream`."""

    def __init__(self, reader: BinaryIO, compression: str, handle: BinaryIO) -> None:
        self._reader = reader
        self._handle = handle
        self._compression = compression

    def readable(self) -> bool:
        return True

    def fileno(self) -> int:
        """The compressed file's descriptor (its size bounds nothing, its kind tells much)."""
        return self._handle.fileno()

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._reader.read(len(buffer))
        except BrokenStream:
            raise
        except _ERRORS as exc:
            detail = " ".join(str(exc).split()) or type(exc).__name__
            raise BrokenStream(f"{self._compression} data broken: {detail}") from exc
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._reader.close()
            self._handle.close()
        finally:
            super().close()
