from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from taggit.models import Tag
from wagtail.models import Site

from rostra.core.page_cache import serve_cacheable, version_reader
from rostra.core.text import is_printable_line, printable_only
from rostra.publishing import selectors

RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 200


def _site_root(request):
    site = Site.find_for_request(request)
    return site.root_page if site else None


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    if not is_printable_line(query):
        # The search box cannot type them; keep the rest of the query for the reader.
        context = {
            "query": printable_only(query),
            "error": _("A search cannot contain control characters. Please search again."),
        }
        return render(request, "publishing/search.html", context, status=400)
    results = None
    if query:
        paginator = Paginator(
            selectors.search_articles(root=_site_root(request), query=query), RESULTS_PER_PAGE
        )
        results = paginator.get_page(request.GET.get("page"))
        # Search backends drop prefetches: reload this page of results in one go.
        ids = [hit.pk for hit in results.object_list]
        loaded = selectors.live_articles().in_bulk(ids)
        results.object_list = selectors.attach_sections(loaded[i] for i in ids if i in loaded)
    return render(request, "publishing/search.html", {"query": query, "results": results})


def _tag_page(request, slug):
    tag_obj = Tag.objects.filter(slug=slug).first()
    articles = None
    if tag_obj is not None:
        paginator = Paginator(
            selectors.tagged_articles(root=_site_root(request), tag_slug=slug), RESULTS_PER_PAGE
        )
        articles = paginator.get_page(request.GET.get("page"))
        articles.object_list = selectors.attach_sections(articles.object_list)
    status = 200 if articles and articles.paginator.count else 404
    return render(
        request,
        "publishing/tag.html",
        {"tag": tag_obj, "slug": slug, "articles": articles},
        status=status,
    )


@require_GET
def tag(request, slug):
    """Articles with one tag: a public page like the sections (rostra.core.page_cache)."""
    return serve_cacheable(
        request, version=version_reader(None), render=lambda: _tag_page(request, slug)
    )
