"""What an upload may cost the server to judge: images decoded no larger than they are kept, nothing
hidden in an image carried over, text checked in steps, and every refusal answered as JSON."""

import io
import struct
import time
import tracemalloc
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from forum.auth.models import User
from forum.extensions import db
from forum.uploads import services

MIB = 1024 * 1024


def _peak_rss_growth(call):
    """(result, how far the process's peak resident memory rose in MiB): Pillow's pixels are not seen by tracemalloc."""
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current resident size
    except OSError:
        pytest.skip("needs Linux /proc to measure peak memory")

    def status(field):
        line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(field))
        return int(line.split()[1]) // 1024

    before = status("VmRSS:")
    result = call()
    return result, status("VmHWM:") - before


def _traced_peak(call):
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def test_large_photo_is_decoded_no_larger_than_it_is_kept(member, upload):
    out = io.BytesIO()
    Image.new("RGB", (6000, 6000), (20, 100, 200)).save(out, "JPEG", quality=50)  # 36 megapixels, under the limit
    data = out.getvalue()
    response, growth = _peak_rss_growth(lambda: upload("panorama.jpg", data))
    assert response.status_code == 200
    assert growth < 80, f"peak grew by {growth} MiB"  # decoding it whole would take 144 MiB, twice


def test_large_png_is_not_copied_at_full_size(member, upload):
    out = io.BytesIO()
    Image.new("RGB", (6000, 6000), (20, 100, 200)).save(out, "PNG")
    data = out.getvalue()
    response, growth = _peak_rss_growth(lambda: upload("poster.png", data))
    assert response.status_code == 200
    # 144 MiB of pixels (a PNG cannot be decoded smaller) and 64 for resampling; it used to be copied whole too.
    assert growth < 240, f"peak grew by {growth} MiB"


def test_comments_and_xmp_hidden_in_a_photo_are_not_kept(client, member, upload):
    out = io.BytesIO()
    Image.new("RGB", (60, 40), "red").save(
        out, "JPEG", comment=b"SecretComment", xmp=b"<x:xmpmeta>SecretPlace 60.1N 24.9E</x:xmpmeta>"
    )
    served = client.get(upload("photo.jpg", out.getvalue()).get_json()["url"])
    assert served.status_code == 200
    assert b"SecretComment" not in served.data and b"SecretPlace" not in served.data


def test_png_text_chunks_that_unpack_to_megabytes_cost_little(member, upload):
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "red").save(out, "PNG")
    png = out.getvalue()
    one_mb_of_zeros = zlib.compress(bytes(1_000_000), 9)
    texts = b"".join(_chunk(b"zTXt", b"k%d\x00\x00" % i + one_mb_of_zeros) for i in range(200))
    data = png[:33] + texts + png[33:]  # after IHDR: 200 KB that Pillow would unpack to 64 MB of text
    response, peak = _traced_peak(lambda: upload("notes.png", data))
    assert response.status_code == 400
    assert peak < 24, f"peak {peak:.0f} MiB"


def test_animation_with_many_frames_keeps_the_first_quickly(client, member, upload):
    frames = [Image.new("P", (4000, 4000), 0)] + [Image.new("P", (4000, 4000), i % 200 + 1) for i in range(40)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=20, loop=0)
    started = time.perf_counter()
    body = upload("animation.gif", out.getvalue()).get_json()
    assert time.perf_counter() - started < 3
    kept = Image.open(io.BytesIO(client.get(body["url"]).data))
    assert kept.format == "PNG" and getattr(kept, "n_frames", 1) == 1


def test_eight_megabytes_of_text_are_checked_in_small_steps(app, make):
    make.user("aino")
    text = ("Hyvää päivää 😀 " * 600_000).encode()[: 8 * MIB - 16]
    text = text.decode("utf-8", "ignore").encode()
    with app.test_request_context():
        aino = db.session.execute(select(User)).scalar_one()
        stored, peak = _traced_peak(lambda: services.store_upload(aino, "long.txt", text))
        assert stored.content_type == "text/plain"
        db.session.rollback()
    assert peak < 8, f"peak {peak:.0f} MiB"  # decoding it whole made a 48 MiB string


@pytest.mark.parametrize(
    "data, content_type",
    [
        ({}, "multipart/form-data"),
        ({"file": (io.BytesIO(b"hello"), "")}, "multipart/form-data"),
        ({"other": "field"}, "multipart/form-data"),
    ],
)
def test_upload_without_a_file_is_answered_as_json(client, member, data, content_type):
    response = client.post("/uploads", data=data, content_type=content_type)
    assert response.status_code == 400 and response.get_json()["error"] == "no_file"


def test_upload_as_json_is_answered_as_json(client, member):
    response = client.post("/uploads", json={"file": "aGVsbG8="})
    assert response.status_code == 400 and response.get_json()["error"] == "no_file"


def test_upload_larger_than_a_request_may_be_is_answered_as_json(app, client, member):
    data = b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/uploads", data={"file": (io.BytesIO(data), "big.txt")}, content_type="multipart/form-data")
    assert response.status_code == 413
    assert response.get_json()["error"] == "upload_refused" and "limited to 8 MB" in response.get_json()["message"]


def test_photo_is_still_turned_upright_and_transparency_kept(client, member, upload):
    out = io.BytesIO()
    exif = Image.new("RGB", (1, 1)).getexif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    Image.new("RGB", (3000, 1000), "red").save(out, "JPEG", exif=exif)
    turned = Image.open(io.BytesIO(client.get(upload("sideways.jpg", out.getvalue()).get_json()["url"]).data))
    assert turned.size == (683, 2048)
    out = io.BytesIO()
    palette = Image.new("P", (20, 20), 1)
    palette.putpixel((0, 0), 0)
    palette.save(out, "GIF", transparency=0)
    kept = Image.open(io.BytesIO(client.get(upload("dot.gif", out.getvalue()).get_json()["url"]).data))
    assert kept.mode == "RGBA" and kept.getpixel((0, 0))[3] == 0 and kept.getpixel((1, 1))[3] == 255
