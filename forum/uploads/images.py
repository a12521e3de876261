"""Images are decoded with limits and re-encoded: what is kept is the pixels (first frame only), never what
the file carried besides (EXIF, comments, XMP, text chunks, colour profiles, further frames)."""

import io
import math
import warnings

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, PngImagePlugin, UnidentifiedImageError

from forum.core.errors import DomainError

MAX_IMAGE_PIXELS = 40_000_000  # decoding more than this is refused (decompression bombs)
MAX_IMAGE_SIDE = 2048
IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
# Of what Pillow read besides the pixels, only what the pixels need: a PNG's transparent colour.
KEPT_INFO = {"transparency"}

# Pillow unpacks PNG text chunks (1 KB of zTXt can hold 1 MB) up to 64 MB an image; none of it is kept,
# so a little is plenty. Pillow offers this only as a module setting; nothing else here decodes PNGs.
PngImagePlugin.MAX_TEXT_MEMORY = 1024 * 1024


class ImageTooLarge(DomainError):
    def __init__(self):
        super().__init__(_l("That image is too large (at most %(n)d megapixels).", n=MAX_IMAGE_PIXELS // 1_000_000), field="file")


def reencoded(data: bytes) -> tuple[bytes, str, str, int, int] | None:
    """Re-encoded image bytes, type, extension and size; None if the data is not an image."""
    decoded = _decoded(data, MAX_IMAGE_SIDE)
    if decoded is None:
        return None
    image, source_format = decoded
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    # Turned once small (the limit is square); before, it copied the full-size pixels even when upright.
    image = _pixels_only(ImageOps.exif_transpose(image), source_format)
    body, content_type, extension = _encoded(image, source_format)
    return body, content_type, extension, image.width, image.height


def square_versions(data: bytes, sides: tuple[int, ...]) -> tuple[dict[int, bytes], str, str] | None:
    """The image cut to a centred square and re-encoded at each of `sides` (never enlarged past its own
    size), with its type and extension; None if the data is not an image. For avatars."""
    decoded = _decoded(data, max(sides))
    if decoded is None:
        return None
    image, source_format = decoded
    # Made small first (its shorter side down to the largest version), so that turning it copies few pixels.
    scale = max(sides) / min(image.width, image.height)
    if scale < 1:
        image.thumbnail((math.ceil(image.width * scale), math.ceil(image.height * scale)))
    image = _pixels_only(ImageOps.exif_transpose(image), source_format)
    if "transparency" in image.info:  # one colour marked transparent would blur into others when resized
        image = image.convert("RGBA")
    square = min(image.width, image.height)
    versions, content_type, extension = {}, "", ""
    for side in sides:
        target = min(side, square)
        version = ImageOps.fit(image, (target, target), Image.Resampling.LANCZOS)
        versions[side], content_type, extension = _encoded(version, source_format)
    return versions, content_type, extension


def _decoded(data: bytes, keep_side: int) -> tuple[Image.Image, str] | None:
    """The first frame's pixels and the source format, decoded within the limits; None if not an image."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in IMAGE_FORMATS:
                return None
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ImageTooLarge()
            # A JPEG can be decoded at 1/2, 1/4 or 1/8 of its size: never decode more pixels than are kept.
            image.draft(None, (keep_side, keep_side))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageTooLarge() from None
    return image, image.format


def _pixels_only(image: Image.Image, source_format: str) -> Image.Image:
    if source_format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
    return image


def _encoded(image: Image.Image, source_format: str) -> tuple[bytes, str, str]:
    out = io.BytesIO()
    if source_format == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True)
        return out.getvalue(), "image/jpeg", ".jpg"
    image.save(out, "PNG", optimize=True)
    return out.getvalue(), "image/png", ".png"
