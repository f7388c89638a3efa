"""Arabic (or English) error pages that never leak internals."""

from django.shortcuts import render
from django.template import loader
from django.http import HttpResponseServerError


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    """500 handler: renders a static template with no database access."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request": request}))
