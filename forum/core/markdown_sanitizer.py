"""The sanitizer behind forum.core.markdown (nh3): nothing that could run script, load third-party content or
restyle the page; images only from our uploads; classes and ids only where the renderer wrote them."""

import re
from urllib.parse import unquote

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "summary", "div", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "kbd", "li", "ol", "p", "pre", "s", "section", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "label",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class", "id"},
    "img": {"src", "alt", "title", "width", "height"},
    "input": {"checked", "class", "aria-label", "aria-hidden"},
    "ol": {"start", "class"},
    "ul": {"class"},
    "li": {"class", "id"},
    "td": {"colspan", "rowspan", "class"},
    "th": {"colspan", "rowspan", "class"},
    "abbr": {"title"},
    "code": {"class"},
    "sup": {"class"},
    "hr": {"class"},
    "section": {"class"},
}
# Classes the renderer gives (mentions, table alignment, task lists, footnotes), besides code's language-*.
RENDERER_CLASSES = {
    "td": {"text-left", "text-center", "text-right"},
    "th": {"text-left", "text-center", "text-right"},
    "li": {"task-list-item", "footnote-item"},
    "ul": {"contains-task-list"},
    "ol": {"contains-task-list", "footnotes-list"},
    "input": {"task-list-item-checkbox"},
    "a": {"mention", "footnote-backref"},
    "sup": {"footnote-ref"},
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
}
LANGUAGE = re.compile(r"language-[a-z0-9+#-]{1,30}", re.I)
FOOTNOTE_ID = re.compile(r"fn(?:ref)?-[0-9a-f]{1,32}-\d{1,6}(?::\d{1,6})?")
FOOTNOTE_ID_TAGS = {"a", "li"}
# Task-list boxes are shown, never used as form controls.
FORCED_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": "disabled"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener noreferrer"

# nh3's output is serialised by html5ever: text has `<` escaped, every attribute is name="value".
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*/?>')
_ATTRIBUTE = re.compile(r'([^\s"\'>/=]+)(?:="([^"]*)")?')
# /uploads/<id>/<name>, the only images that load (see forum.uploads); no "." or ".." for a name.
_UPLOAD = re.compile(r"/uploads/\d{1,12}/[\w.%+-]+")


def _attribute_filter(mark: str | None):
    def keep(element: str, attribute: str, value: str) -> str | None:
        if attribute == "class":
            names = [name[len(mark) :] for name in value.split() if mark is not None and name.startswith(mark)]
            kept = [
                name for name in names
                if name in RENDERER_CLASSES.get(element, ()) or (element == "code" and LANGUAGE.fullmatch(name))
            ]
            return " ".join(kept) or None
        if attribute == "id":
            if mark is None or not value.startswith(mark) or element not in FOOTNOTE_ID_TAGS:
                return None
            return value[len(mark) :] if FOOTNOTE_ID.fullmatch(value[len(mark) :]) else None
        return value

    return keep


def _is_upload(src: str) -> bool:
    return bool(_UPLOAD.fullmatch(src)) and unquote(src.rsplit("/", 1)[1]).strip(".") != ""


def _images_from_uploads_only(html: str) -> str:
    """Every image that is not one of our uploads becomes a link to it (or, inside a link, its text):
    loading it would tell another site who reads what, or make the reader's browser request a page of ours."""
    parts, last, in_link = [], 0, 0
    for tag in _TAG.finditer(html):
        closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name == "a":
            in_link = max(in_link + (-1 if closing else 1), 0)
        if name != "img":
            continue
        values = dict(_ATTRIBUTE.findall(attributes))
        src = values.get("src", "")
        if _is_upload(src):
            continue
        label = (values.get("alt") or src).replace("<", "&lt;").replace(">", "&gt;")
        if src and not in_link:
            label = f'<a href="{src}" rel="{LINK_REL}">{label}</a>'
        parts += [html[last : tag.start()], label]
        last = tag.end()
    return "".join(parts) + html[last:] if parts else html


def _task_boxes_only(html: str) -> str:
    """Drop every <input> but the renderer's task-list boxes: a box written as raw HTML would have no name."""
    return _TAG.sub(
        lambda tag: tag.group(0)
        if tag.group(2).lower() != "input" or 'class="task-list-item-checkbox"' in tag.group(3) else "",
        html,
    )


def sanitize(html: str, class_mark: str | None = None) -> str:
    """Remove everything from `html` that could run script, load third-party content or restyle the page.
    Classes and ids stay only if written with `class_mark` (the renderer's mark for one render), which is
    removed; with none, every class and id goes; with "", the HTML is trusted to be the renderer's own."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_attribute_filter(class_mark),
        set_tag_attribute_values=FORCED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    if class_mark != "":
        cleaned = _task_boxes_only(cleaned)
    return _images_from_uploads_only(cleaned)
