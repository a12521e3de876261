"""What the forum accepts from a request, checked once at the edge so that no view has to:

- ids in URLs are whole ASCII numbers that fit the database's integer columns (PostgreSQL's are 32-bit);
  anything else is a 404, never an overflow in the database;
- no text reaches the database with a NUL character (PostgreSQL refuses it): NULs are dropped from
  form fields, query strings and JSON strings, and a URL part containing one matches no route;
- JSON bodies nested too deeply to parse are a bad request, not a RecursionError.
"""

import re

from flask import Request
from flask.json.provider import DefaultJSONProvider
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import IntegerConverter, UnicodeConverter, ValidationError
from werkzeug.utils import cached_property

MAX_ID = 2**31 - 1
_WHOLE_NUMBER = re.compile(r"[0-9]{1,10}")


def whole_number(value: object, maximum: int = MAX_ID) -> int | None:
    """`value` (a query-string text or a JSON number) as a whole number in 0..maximum, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 0 <= number <= maximum else None


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: ASCII digits only, at most MAX_ID."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)


class TextConverter(UnicodeConverter):
    """The default `<name>` converter, refusing a NUL character (PostgreSQL cannot compare with one)."""

    def to_python(self, value: str) -> str:
        if "\x00" in value:
            raise ValidationError()
        return value


def _without_nul(values: ImmutableMultiDict) -> ImmutableMultiDict:
    if not any("\x00" in value for value in values.values()):
        return values
    return ImmutableMultiDict([(key.replace("\x00", ""), value.replace("\x00", "")) for key, value in values.items(multi=True)])


class ForumRequest(Request):
    @cached_property
    def args(self) -> ImmutableMultiDict:
        return _without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])


def _strip_nul(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_strip_nul(item) for item in value]
    if isinstance(value, dict):
        return {_strip_nul(key): _strip_nul(item) for key, item in value.items()}
    return value


class ForumJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        try:
            value = super().loads(s, **kwargs)
        except RecursionError as error:
            raise ValueError("JSON nested too deeply") from error
        text = s if isinstance(s, str) else s.decode("utf-8", "replace")
        return _strip_nul(value) if "\\u0000" in text or "\x00" in text else value


def install(app) -> None:
    """Use these checks in `app`; before any blueprint is registered (routes bind converters then)."""
    app.request_class = ForumRequest
    app.json_provider_class = ForumJSONProvider
    app.json = ForumJSONProvider(app)
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = TextConverter
    app.url_map.converters["string"] = TextConverter
