"""Query-string filters the lists share: parsed strictly (a bad value is 400 naming the
parameter), and the `changed_since` change feed, which orders by last change."""


def parsed(request, filters_class) -> dict:
    filters = filters_class(data=request.query_params)
    filters.is_valid(raise_exception=True)
    return filters.validated_data


def in_feed_order(qs, f: dict, *default_order: str):
    """With `changed_since`: what changed at or after it, oldest change first (a poller keeps
    the newest `updated_at` it saw). Otherwise the list's own order."""
    if "changed_since" in f:
        return qs.filter(updated_at__gte=f["changed_since"]).order_by("updated_at", "pk")
    return qs.order_by(*default_order)
