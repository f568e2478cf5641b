"""Pages of a list: `page`/`limit` query parameters, Link and X-Total-Count headers."""

from urllib.parse import parse_qsl, urlencode

from .query import integer
from .response import Response

MAX_LIMIT = 500


def paginate(request, plural, records, serialize, page_size):
    """One page of `records` (in creation order) under the list envelope `plural`.

    A page past the last is an empty list, not an error.
    """
    page = integer(request.query, "page", 1, 1)
    limit = integer(request.query, "limit", page_size, 1, MAX_LIMIT)
    if not isinstance(records, list):
        records = list(records)
    total = len(records)
    last = max(1, -(-total // limit))
    start = (page - 1) * limit
    items = [serialize(record) for record in records[start:start + limit]]
    headers = {"X-Total-Count": str(total), "Link": link_header(request, page, limit, last)}
    return Response(200, {plural: items}, headers)


def link_header(request, page, limit, last):
    """first/prev/next/last links on the request's own base URL, keeping its other query parameters."""
    base = request.base_url + request.path
    kept = [(name, value) for name, value in parse_qsl(request.raw_query, keep_blank_values=True) if name not in ("page", "limit")]
    links = [(1, "first")]
    if page > 1:
        links.append((min(page - 1, last), "prev"))
    if page < last:
        links.append((page + 1, "next"))
    links.append((last, "last"))
    return ", ".join(f'<{base}?{urlencode(kept + [("page", number), ("limit", limit)])}>; rel="{rel}"' for number, rel in links)
