"""Members' pictures: uploaded through the image checks, cut square, re-encoded at a few sizes without EXIF,
served with long cache headers; initials on a colour of the member's own for those without one."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import update

from forum.auth.models import User
from forum.extensions import db
from forum.users import avatars
from tests.conftest import page_text

CSS = Path(__file__).resolve().parents[2] / "forum" / "static" / "css" / "avatars.css"


def _photo(width=300, height=200, exif=True, kind="JPEG") -> bytes:
    """A photo with a camera and a GPS position in its EXIF, as phones take them."""
    image = Image.new("RGB", (width, height), (200, 40, 40))
    image.paste((20, 90, 200), (width // 3, 0, 2 * width // 3, height))  # a blue band in the middle
    out = io.BytesIO()
    if exif:
        data = image.getexif()
        data[0x010F] = "SecretCam"
        data[0x8825] = {2: (60.0, 10.0, 5.0)}
        image.save(out, kind, exif=data)
    else:
        image.save(out, kind)
    return out.getvalue()


def _bomb_png(side=30000) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")


@pytest.fixture
def aino(client, auth, make):
    user_id = make.user("aino", display_name="Aino Virtanen")
    auth.login("aino")
    return user_id


def _upload(client, data, name="me.jpg"):
    return client.post("/my/avatar", data={"avatar": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _avatar(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).avatar


def _avatar_addresses(client) -> list[str]:
    return re.findall(r'src="(/avatars/[^"]+)"', client.get("/my/preferences").get_data(as_text=True))


def test_an_uploaded_photo_is_kept_square_at_each_size_without_its_exif(app, client, aino):
    response = _upload(client, _photo())
    assert response.status_code == 302
    assert "Your picture is saved" in page_text(client.get(response.headers["Location"]))
    name = _avatar(app, aino)
    for side in avatars.SIDES:
        served = client.get(f"/avatars/{aino}/{side}/{name}")
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        image = Image.open(io.BytesIO(served.data))
        assert image.size == (side, side)
        assert b"SecretCam" not in served.data and not image.getexif()
        # Cut around the middle: the blue band fills the centre, the red shows at the edges.
        assert image.getpixel((side // 2, side // 2))[2] > 150
        assert "immutable" in served.headers["Cache-Control"] and "max-age=31536000" in served.headers["Cache-Control"]
        assert served.headers["X-Content-Type-Options"] == "nosniff"


def test_a_photo_taken_sideways_is_turned_upright_as_its_exif_says(app, client, aino):
    image = Image.new("RGB", (300, 200), (200, 30, 30))
    image.paste((30, 30, 200), (0, 100, 300, 200))  # red above, blue below, as stored by the camera
    exif = image.getexif()
    exif[0x0112] = 6  # shown turned a quarter clockwise: red on the right, blue on the left
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    _upload(client, out.getvalue())
    served = Image.open(io.BytesIO(client.get(f"/avatars/{aino}/96/{_avatar(app, aino)}").data))
    upper_left, lower_right = served.getpixel((15, 15)), served.getpixel((80, 80))
    assert upper_left[2] > 150 > upper_left[0] and lower_right[0] > 150 > lower_right[2]


def test_a_small_picture_is_not_enlarged_and_a_png_stays_a_png(app, client, aino):
    assert _upload(client, _photo(40, 60, exif=False, kind="PNG"), "me.png").status_code == 302
    name = _avatar(app, aino)
    assert name.endswith(".png")
    served = client.get(f"/avatars/{aino}/192/{name}")
    assert served.mimetype == "image/png" and Image.open(io.BytesIO(served.data)).size == (40, 40)


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("notes.txt", b"Just some words, not a picture.", "not a picture we can use"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not a picture we can use"),
        ("bomb.png", _bomb_png(), "too large"),
        ("empty.png", b"", "empty"),
    ],
)
def test_a_file_that_is_no_usable_picture_is_refused_with_the_reason_at_the_field(app, client, aino, name, data, reason):
    response = _upload(client, data, name)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="avatar-error">(.*?)</p>', html, re.S)
    assert error and reason in error.group(1)
    assert 'aria-describedby="avatar-help avatar-error"' in html
    assert _avatar(app, aino) is None


def test_a_picture_over_the_size_limit_is_refused(app, client, aino):
    app.config["FORUM_MAX_UPLOAD_BYTES"] = 1024
    try:
        response = _upload(client, _photo(600, 600))
    finally:
        app.config["FORUM_MAX_UPLOAD_BYTES"] = 8 * 1024 * 1024
    assert response.status_code == 200 and "limited to" in page_text(response)
    assert _avatar(app, aino) is None


def test_a_request_larger_than_any_upload_shows_the_page_again_with_the_limit(app, client, aino):
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 4096
    try:
        response = _upload(client, _photo(800, 800))
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413
    assert "Pictures are limited to 8 MB." in page_text(response) and 'id="avatar-error"' in response.get_data(as_text=True)


def test_choosing_no_file_asks_for_one(client, aino):
    response = client.post("/my/avatar", data={}, content_type="multipart/form-data")
    assert response.status_code == 200 and "Choose a picture to upload" in page_text(response)


def test_opening_the_upload_address_leads_to_where_the_picture_is_chosen(client, aino):
    """A reload after an upload, or a typed address, lands on the form rather than on "405 Method Not Allowed"."""
    response = client.get("/my/avatar")
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith("/my/preferences#avatar-heading")


def test_removing_the_picture_brings_back_the_initials_and_forgets_its_files(app, client, aino):
    _upload(client, _photo())
    name = _avatar(app, aino)
    key = Path(app.config["FORUM_UPLOADS_DIR"]) / avatars.storage_key(name, 96)
    assert key.is_file()
    response = client.post("/my/avatar/remove")
    assert response.status_code == 302
    page = client.get("/my/preferences").get_data(as_text=True)
    assert "your initials show instead" in page and ">AV</span>" in page
    assert client.get(f"/avatars/{aino}/96/{name}").status_code == 404
    assert not key.exists()


def test_a_replaced_picture_is_gone_but_files_another_member_uses_stay(app, client, auth, make, aino):
    shared = _photo()
    _upload(client, shared)
    first = _avatar(app, aino)
    auth.logout()
    marcus = make.user("marcus")
    auth.login("marcus")
    _upload(client, shared)
    assert _avatar(app, marcus) == first  # the same picture, the same files
    _upload(client, _photo(250, 250))
    assert _avatar(app, marcus) != first
    assert client.get(f"/avatars/{marcus}/96/{first}").status_code == 404
    assert client.get(f"/avatars/{aino}/96/{first}").status_code == 200  # Aino still has it


def test_a_picture_is_served_only_at_its_members_current_address(app, client, aino):
    _upload(client, _photo())
    name = _avatar(app, aino)
    assert client.get(f"/avatars/{aino}/97/{name}").status_code == 404
    assert client.get(f"/avatars/{aino + 1}/96/{name}").status_code == 404
    assert client.get(f"/avatars/{aino}/96/{'0' * 64}.jpg").status_code == 404


@pytest.mark.parametrize(
    "display_name, username, expected",
    [
        ("Aino Virtanen", "aino", "AV"),
        ("Marcus", "marcus", "M"),
        ("maría josé de la cruz", "mjdlc", "MC"),
        ("Ólafur Ragnar", "olafur", "ÓR"),
        ("王小明", "xiaoming", "王"),
        ("प्रिया शर्मा", "priya", "पश"),
        ("दिव्या", "divya", "दि"),
        ("— ✨", "fallback", "F"),
        ("", "", "?"),
    ],
)
def test_initials_are_the_first_letters_of_the_first_and_last_names(display_name, username, expected):
    assert avatars.initials(display_name, username) == expected


def test_a_members_colour_follows_their_username_and_the_colours_are_spread():
    # Fixed values: a colour from Python's per-process hash() would change with every restart.
    assert [avatars.colour_index(name) for name in ("aino", "Marcus", "RUTH")] == [2, 3, 11]
    used = {avatars.colour_index(f"member{i}") for i in range(200)}
    assert used == set(range(avatars.PALETTE_SIZE))


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_colour_gives_the_initials_a_contrast_of_at_least_4_5_to_1():
    css = CSS.read_text()
    text = re.search(r"\.avatar \{[^}]*?\scolor: (#[0-9a-f]{6});", css).group(1)
    colours = dict(re.findall(r"\.avatar-c(\d+) \{ background: (#[0-9a-f]{6}); \}", css))
    assert sorted(map(int, colours)) == list(range(avatars.PALETTE_SIZE))
    for index, background in colours.items():
        assert _contrast(text, background) >= 4.5, (index, background)


def test_posts_show_their_authors_picture_or_initials_without_an_extra_query(app, client, make, aino, count_queries):
    marcus = make.user("marcus")
    category = make.category("General")
    topic_id = make.topic(aino, category)
    make.post(marcus, topic_id, "A reply from Marcus.")
    url = f"/t/a-topic-about-learning/{topic_id}?page=1"
    client.get(url)
    with count_queries() as without_pictures:
        client.get(url)
    _upload(client, _photo())
    client.get(url)
    with count_queries() as with_pictures:
        html = client.get(url).get_data(as_text=True)
    assert with_pictures.n == without_pictures.n
    name = _avatar(app, aino)
    # Beside the name: decoration that screen readers skip (they read the name next to it).
    assert f'<img class="avatar avatar-40" src="/avatars/{aino}/96/{name}" width="40" height="40" alt=""' in html
    assert '<span class="avatar avatar-40 avatar-c3" aria-hidden="true">M</span>' in html


def test_the_topic_list_shows_participants_pictures_with_their_names_for_screen_readers(app, client, make, aino):
    category = make.category("General")
    make.topic(aino, category)
    _upload(client, _photo())
    html = client.get("/latest").get_data(as_text=True)
    participants = re.search(r'<ul class="participants".*?</ul>', html, re.S).group(0)
    assert f'src="/avatars/{aino}/64/{_avatar(app, aino)}"' in participants
    assert '<span class="visually-hidden">Aino Virtanen</span>' in participants


def test_the_profile_and_the_likes_list_show_the_members_picture(app, client, make, aino):
    _upload(client, _photo())
    name = _avatar(app, aino)
    assert f'src="/avatars/{aino}/192/{name}" width="96"' in client.get("/u/aino").get_data(as_text=True)
    marcus = make.user("marcus")
    category = make.category("General")
    topic_id = make.topic(marcus, category)
    post_id = _first_post(app, topic_id)
    assert client.post(f"/p/{post_id}/like").status_code == 302
    likes = client.get(f"/p/{post_id}/likes").get_data(as_text=True)
    assert f'src="/avatars/{aino}/64/{name}"' in likes and "Aino Virtanen" in likes


def _first_post(app, topic_id):
    from sqlalchemy import select

    from forum.board.models import Post

    with app.app_context():
        return db.session.execute(select(Post.id).where(Post.topic_id == topic_id, Post.post_number == 1)).scalar_one()


def test_a_picture_row_left_without_its_files_answers_404(app, client, aino):
    with app.app_context():
        db.session.execute(update(User).where(User.id == aino).values(avatar="ab" * 32 + ".png"))
        db.session.commit()
    assert client.get(f"/avatars/{aino}/96/{'ab' * 32}.png").status_code == 404
