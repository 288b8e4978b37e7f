"""The PilotFlows envelope: one object is {"data": {"id", "type", "attributes"}}; a list is
{"data": [...], "links": {"self", "next", "prev"}, "meta": {"count", ...}}. Ids are strings."""

from django.core.paginator import EmptyPage, Paginator
from rest_framework.exceptions import ValidationError

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


def resource(kind: str, pk, attributes: dict) -> dict:
    return {"id": str(pk), "type": kind, "attributes": attributes}


def one(kind: str, pk, attributes: dict) -> dict:
    return {"data": resource(kind, pk, attributes)}


def page_of(request, queryset, *, kind: str, attributes, page_size: int | None = None, prepare=None) -> dict:
    """A page of `queryset` as a list envelope. `attributes(obj)` gives each object's;
    `prepare(objects)`, when given, reads what the page's objects need in one go first."""
    number = _positive_int(request.query_params.get("page", "1"), "page")
    size = _positive_int(request.query_params.get("page_size", str(page_size or DEFAULT_PAGE_SIZE)), "page_size")
    if size > MAX_PAGE_SIZE:
        raise ValidationError({"page_size": [f"Ask for at most {MAX_PAGE_SIZE} items a page."]})
    paginator = Paginator(queryset, size)
    try:
        page = paginator.page(number)
        items = list(page.object_list)
    except EmptyPage:
        page, items = None, []
    if prepare is not None:
        prepare(items)
    links = {"self": request.build_absolute_uri(), "next": None, "prev": None}
    if page is not None and page.has_next():
        links["next"] = _with_page(request, number + 1)
    if number > 1:
        links["prev"] = _with_page(request, min(number - 1, max(paginator.num_pages, 1)))
    return {"data": [resource(kind, obj.pk, attributes(obj)) for obj in items], "links": links,
            "meta": {"count": paginator.count, "page": number, "page_size": size}}


def _with_page(request, number: int) -> str:
    params = request.query_params.copy()
    params["page"] = str(number)
    return request.build_absolute_uri(request.path) + "?" + params.urlencode()


def _positive_int(value: str, name: str) -> int:
    if not value.isdigit() or not 0 < int(value) < 10**6:
        raise ValidationError({name: ["Give a whole number from 1."]})
    return int(value)


def attributes_of(request, kind: str | None = None) -> dict:
    """The request body's attributes: the envelope {"data": {"type", "attributes"}} or, for
    convenience, the attributes object itself."""
    body = request.data
    if not isinstance(body, dict):
        raise ValidationError({"data": ["Send a JSON object."]})
    if set(body) == {"data"}:
        data = body["data"]
        if not isinstance(data, dict) or not isinstance(data.get("attributes", {}), dict):
            raise ValidationError({"data": ["Give data.attributes as an object."]})
        if kind is not None and data.get("type", kind) != kind:
            raise ValidationError({"data.type": [f'This endpoint takes "{kind}" objects.']})
        return data.get("attributes", {})
    return body
