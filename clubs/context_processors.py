def club(request):
    """The club and membership a page is scoped to (set by clubs.access.club_member)."""
    return {
        "club": getattr(request, "club", None),
        "membership": getattr(request, "membership", None),
    }
