"""The lists of bookings: a member's own, and the club's for dispatchers (with its CSV)."""

from django.core.paginator import EmptyPage, Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import dateformat, timezone
from django.utils.http import content_disposition_header

from clubs.access import club_member
from core.url_patterns import url_pattern
from dispatch import extensions
from dispatch.booking_search import BookingFilters, bookings_matching, csv_lines, page_of
from dispatch.booking_search_forms import BookingSearchForm
from dispatch.models import BookingCrew
from dispatch.selectors import past_bookings_of_member, upcoming_bookings_of_member

PAST_PAGE_SIZE = 20


def with_links(bookings, slug: str) -> list:
    """The bookings, each with its page's address as `href`."""
    pattern = url_pattern("dispatch:booking", slug)
    bookings = list(bookings)
    for b in bookings:
        b.href = pattern.format(b.pk)
    return bookings


def with_times(bookings: list) -> list:
    """Each booking's `when` as the list shows it, in the active (club's) time zone: what four
    |date filters a row gave, from two calls."""
    for b in bookings:
        start, end = timezone.localtime(b.start), timezone.localtime(b.end)
        b.when = dateformat.format(start, "D d M Y H:i") + "–" + (
            dateformat.time_format(end, "H:i") if start.date() == end.date() else dateformat.format(end, "D d M H:i"))
    return bookings


@club_member()
def my_bookings(request):
    m = request.membership
    past = Paginator(past_bookings_of_member(m), PAST_PAGE_SIZE).get_page(request.GET.get("past"))
    past.object_list = with_links(past.object_list, request.club.slug)
    return render(request, "dispatch/my_bookings.html", {
        **extensions.context_for("my_bookings_page", request=request, membership=m),
        "upcoming": with_links(upcoming_bookings_of_member(m)[:50], request.club.slug),
        "past": past,
        "students": m.students.filter(is_active=True).select_related("user") if m.is_instructor else [],
        "roles": BookingCrew.Role,
    })


def _search_form(request) -> BookingSearchForm:
    return BookingSearchForm(request.GET, organization=request.club)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@club_member("see_all_bookings")
def booking_list(request):
    form = _search_form(request)
    page = None
    if form.is_valid():
        bookings = bookings_matching(request.membership, BookingFilters.from_form(form.cleaned_data))
        try:
            page = page_of(bookings, form.cleaned_data["page"])
            page.object_list = with_times(with_links(page.object_list, request.club.slug))
        except EmptyPage:
            form.add_error("page", "There is no such page: the list is shorter.")
    return render(request, "dispatch/booking_list.html", {
        "form": form, "page": page, "query": _query_without_page(request),
        "tz_name": str(request.club.tz),
    }, status=200 if page is not None else 400)


@club_member("see_all_bookings")
def booking_list_csv(request):
    form = _search_form(request)
    if not form.is_valid():
        return render(request, "dispatch/booking_list.html", {
            "form": form, "page": None, "query": _query_without_page(request), "tz_name": str(request.club.tz)},
            status=400)
    tz = request.club.tz
    bookings = bookings_matching(request.membership, BookingFilters.from_form(form.cleaned_data))
    response = StreamingHttpResponse(csv_lines(bookings, tz), content_type="text/csv; charset=utf-8")
    name = f"bookings-{request.club.slug}-{timezone.localdate(timezone=tz):%Y-%m-%d}.csv"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
