"""Office documents are ZIP archives: an upload that unpacks to far more than it weighs is refused
before anything is unpacked, and whatever is unpacked is read in bounded steps."""

import base64
import functools
import io
import itertools
import string
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest

from forum.uploads import archives

STORED, DEFLATED, BZIP2 = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2
GIB = 1 << 30

# bz2.compress(bytes(GIB), 9): one gibibyte of zeros in 785 bytes (compressing it here would take ten seconds).
BZIP2_GIB_OF_ZEROS = base64.b64decode(
    "QlpoOTFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kO"
    "CeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAA"
    "CCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWp"
    "CoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J"
    "4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAI"
    "IAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakK"
    "gJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni"
    "3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqAlzFBWSZTWQ4J4t8BX45AAMAAAAgg"
    "ADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1kOCeLfAV+OQADAAAAIIAAwgE1GQqAlqQqA"
    "lzFBWSZTWQ4J4t8BX45AAMAAAAggADCATUZCoCWpCoCXMUFZJlNZDgni3wFfjkAAwAAACCAAMIBNRkKgJakKgJcxQVkmU1lIfF/J"
    "AIpSyADAAAAEAAggADDMBSmmkSJDYUSJDxdyRThQkPaI5AI="
)


@functools.cache
def _crc_of_zeros(size: int) -> int:
    crc, chunk = 0, bytes(1 << 20)
    for start in range(0, size, len(chunk)):
        crc = zlib.crc32(chunk[: size - start], crc)
    return crc


@functools.cache
def _deflated_zeros(mebibytes: int) -> bytes:
    """A raw deflate stream of that many MiB of zeros, about 1 KB a MiB, built without compressing them all:
    after a full flush the compressor starts afresh, so every MiB compresses to the same bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    one = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return one * mebibytes + compressor.flush()


def _zip(entries) -> bytes:
    """A ZIP archive written field by field, so that an entry can declare whatever size and CRC we like.
    Each entry is (name, compression method, bytes as stored, declared unpacked size, declared CRC)."""
    local, central = [], []
    offset = 0
    for name, method, payload, size, crc in entries:
        name = name.encode()
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(payload), size, len(name), 0)
        central.append(
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(payload), size, len(name),
                        0, 0, 0, 0, 0, offset) + name
        )
        local.append(header + name + payload)
        offset += len(header) + len(name) + len(payload)
    directory = b"".join(central)
    count = len(entries)
    # The zip64 end record, which can count more than 65,535 entries.
    end64 = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(directory), offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, offset + len(directory), 1)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, min(count, 0xFFFF), min(count, 0xFFFF), len(directory),
                      offset, 0)
    return b"".join(local) + directory + end64 + locator + end


def _odt_with_mimetype(method, payload, size, crc) -> bytes:
    return _zip([("mimetype", method, payload, size, crc), ("content.xml", STORED, b"<office/>", 9, zlib.crc32(b"<office/>"))])


def _docx(*extra) -> bytes:
    types = b"<Types/>"
    return _zip([("[Content_Types].xml", STORED, types, len(types), zlib.crc32(types)), *extra])


def _bzip2_odt():
    return _odt_with_mimetype(BZIP2, BZIP2_GIB_OF_ZEROS, GIB, _crc_of_zeros(GIB))


def _deflate_odt():
    return _odt_with_mimetype(DEFLATED, _deflated_zeros(1024), GIB, _crc_of_zeros(GIB))


def _docx_of_64_mib_of_zeros():
    """Under the total limit, but a thousand to one."""
    return _docx(("word/document.xml", DEFLATED, _deflated_zeros(64), 64 << 20, _crc_of_zeros(64 << 20)))


def _odt_whose_directory_lies():
    """The directory says the mimetype is 39 bytes (with their CRC); the stream holds a gibibyte."""
    return _odt_with_mimetype(DEFLATED, _deflated_zeros(1024), 39, _crc_of_zeros(39))


def _docx_of_100_000_entries():
    letters = string.ascii_letters + string.digits
    names = ("".join(name) for name in itertools.product(letters, repeat=3))
    return _docx(("word/document.xml", STORED, b"", 0, 0), *((name, STORED, b"", 0, 0) for name in itertools.islice(names, 100_000)))


def _measured(call):
    """(result, peak bytes allocated, seconds) of call()."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1], time.perf_counter() - started
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    "name, build, reason",
    [
        ("bzip2.odt", _bzip2_odt, "compression that is not accepted"),
        ("deflate.odt", _deflate_odt, "too large when unpacked"),
        ("ratio.docx", _docx_of_64_mib_of_zeros, "too large when unpacked"),
        ("lying.odt", _odt_whose_directory_lies, "too large when unpacked"),
        ("entries.docx", _docx_of_100_000_entries, "too many files"),
    ],
)
def test_compressed_upload_bomb_is_refused_without_unpacking_it(member, upload, name, build, reason):
    data = build()
    assert len(data) < 8 * 1024 * 1024
    response, peak, seconds = _measured(lambda: upload(name, data))
    assert response.status_code == 400
    assert response.get_json()["error"] == "upload_refused" and reason in response.get_json()["message"]
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1024 / 1024:.0f} MiB"
    assert seconds < 5


def test_office_documents_still_upload(member, upload):
    content = b"<w:document>" + b"<w:p>Minutes of the meeting</w:p>" * 2000 + b"</w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", content)
    docx = upload("minutes.docx", out.getvalue())
    assert docx.status_code == 200 and docx.get_json()["url"].endswith(".docx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    odt = upload("minutes.odt", out.getvalue())
    assert odt.status_code == 200 and odt.get_json()["url"].endswith(".odt")


def test_damaged_archive_is_refused_as_not_a_document(member, upload):
    payload = zlib.compress(b"<w:document/>" * 100)[2:-4]
    data = _docx(("word/document.xml", DEFLATED, payload[:-10], 1300, zlib.crc32(b"<w:document/>" * 100)))
    response = upload("broken.docx", data)
    assert response.status_code == 400 and "cannot be attached" in response.get_json()["message"]


def test_other_archives_are_refused_without_being_unpacked(member, upload, monkeypatch):
    monkeypatch.setattr(archives, "check_unpacked", lambda *args: pytest.fail("a plain ZIP was unpacked"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("holiday/photo-1.txt", "a" * 100_000)
    response = upload("holiday.zip", out.getvalue())
    assert response.status_code == 400 and "cannot be attached" in response.get_json()["message"]
