"""Pages of results, with page numbers checked at the edge."""

from dataclasses import dataclass
from math import ceil

from flask import abort, request

from forum.core.requests import whole_number

MAX_PAGE = 999_999


def requested_page() -> int:
    """The ?page= number; anything but a positive whole number is a 404."""
    number = whole_number(request.args.get("page", "1"), MAX_PAGE)
    if not number:
        abort(404)
    return number


@dataclass
class Page:
    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def window(self, size: int = 2) -> list[int | None]:
        """Page numbers to link, with None for a gap: 1 … 4 5 [6] 7 8 … 20."""
        shown = {1, self.pages, *range(self.number - size, self.number + size + 1)}
        numbers = sorted(n for n in shown if 1 <= n <= self.pages)
        out: list[int | None] = []
        for n in numbers:
            if out and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return out


def check_page_exists(number: int, total: int, per_page: int) -> None:
    if number > 1 and (number - 1) * per_page >= total:
        abort(404)
