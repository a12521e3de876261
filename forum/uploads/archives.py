"""Office documents (OpenDocument and OOXML) are ZIP archives. A few hundred bytes of ZIP can unpack to
gigabytes, so an archive is judged by its directory before anything is unpacked, and then every entry is
unpacked in bounded steps to check that it holds no more than it declares (a directory can lie)."""

import io
import struct
import zipfile
import zlib

from flask_babel import lazy_gettext as _l

from forum.core.errors import DomainError

MAX_ENTRIES = 10_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # all entries together
MAX_RATIO = 100  # unpacked : packed, for entries over RATIO_FROM_BYTES
RATIO_FROM_BYTES = 1024 * 1024
METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}  # bzip2 and lzma unpack without a bound on memory
MIMETYPE_BYTES = 200
STEP = 64 * 1024
CENTRAL_DIRECTORY_ENTRY = b"PK\x01\x02"
LOCAL_HEADER = struct.Struct("<4s5H3L2H")


class UnsafeArchive(DomainError):
    def __init__(self, message):
        super().__init__(message, field="file")


class DamagedArchive(Exception):
    """Not a readable archive: treated as a file of unknown kind."""


def open_archive(data: bytes) -> zipfile.ZipFile:
    """The archive, judged by its directory (nothing unpacked yet); raises UnsafeArchive for a bomb,
    DamagedArchive for anything unreadable."""
    # Every entry zipfile parses starts with this signature, so counting it bounds the entries before
    # zipfile builds an object for each (100,000 entries fit in 8 MB and would cost 50 MB to parse).
    if data.count(CENTRAL_DIRECTORY_ENTRY) > MAX_ENTRIES:
        raise UnsafeArchive(_l("This archive has too many files in it (at most %(n)d).", n=MAX_ENTRIES))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        _check_directory(archive.infolist())
    except (zipfile.BadZipFile, struct.error, EOFError, ValueError, NotImplementedError) as error:
        raise DamagedArchive(str(error)) from error
    return archive


def check_unpacked(archive: zipfile.ZipFile, data: bytes) -> None:
    """Unpack every entry in bounded steps: none may hold more than the directory declares (it can lie)."""
    try:
        for entry in archive.infolist():
            _check_entry(data, entry)
    except (zlib.error, struct.error, ValueError) as error:
        raise DamagedArchive(str(error)) from error


def read_mimetype(archive: zipfile.ZipFile) -> bytes | None:
    """The start of an OpenDocument's `mimetype` entry, read with a bound; None if there is none."""
    try:
        with archive.open("mimetype") as entry:
            return entry.read(MIMETYPE_BYTES)
    except KeyError:
        return None
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise DamagedArchive(str(error)) from error


def _too_large() -> UnsafeArchive:
    return UnsafeArchive(
        _l("This archive is too large when unpacked (at most %(mb)d MB).", mb=MAX_UNPACKED_BYTES // (1024 * 1024))
    )


def _check_directory(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse on what the directory declares, before unpacking anything."""
    if len(entries) > MAX_ENTRIES:
        raise UnsafeArchive(_l("This archive has too many files in it (at most %(n)d).", n=MAX_ENTRIES))
    total = 0
    for entry in entries:
        if entry.compress_type not in METHODS:
            raise UnsafeArchive(_l("This archive uses a kind of compression that is not accepted."))
        if entry.flag_bits & 0x1:
            raise DamagedArchive("encrypted entry")
        if entry.file_size > RATIO_FROM_BYTES and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise _too_large()
        total += entry.file_size
        if total > MAX_UNPACKED_BYTES:
            raise _too_large()


def _check_entry(data: bytes, entry: zipfile.ZipInfo) -> None:
    """Unpack one entry in steps of at most STEP bytes, refusing as soon as it exceeds its declared size."""
    header = LOCAL_HEADER.unpack_from(data, entry.header_offset)
    if header[0] != b"PK\x03\x04":
        raise DamagedArchive("bad local header")
    start = entry.header_offset + LOCAL_HEADER.size + header[9] + header[10]
    packed = memoryview(data)[start:start + entry.compress_size]
    if len(packed) != entry.compress_size:
        raise DamagedArchive("truncated entry")
    if entry.compress_type == zipfile.ZIP_STORED:
        if entry.compress_size != entry.file_size:
            raise DamagedArchive("stored entry of the wrong size")
        crc = zlib.crc32(packed)
    else:
        crc = _inflate_checked(packed, entry.file_size)
    if crc != entry.CRC:
        raise DamagedArchive("bad CRC")


def _inflate_checked(packed: memoryview, declared: int) -> int:
    """The CRC of a raw deflate stream's contents, refusing once they pass the declared size."""
    crc = unpacked = 0
    for out in _inflated(packed):
        unpacked += len(out)
        if unpacked > declared:
            raise _too_large()
        crc = zlib.crc32(out, crc)
    if unpacked != declared:
        raise DamagedArchive("entry shorter than declared")
    return crc


def _inflated(packed: memoryview):
    """The unpacked contents in pieces of at most STEP bytes, never more at once."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for offset in range(0, len(packed), STEP):
        pending = packed[offset:offset + STEP]
        while pending and not inflater.eof:
            yield inflater.decompress(pending, STEP)
            pending = inflater.unconsumed_tail
    while not inflater.eof:
        out = inflater.decompress(b"", STEP)  # what the inflater still holds once the input is used up
        if not out:
            raise DamagedArchive("deflate stream cut short")
        yield out
