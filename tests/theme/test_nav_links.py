"""``{% nav_links %}`` writes what base.html's navigation loop wrote."""

import pytest
from django.template import engines
from django.utils import translation

from akhbar.news.queries import sections_in_order

LOOP = (
    '{% load wagtailcore_tags %}{% for section in nav_sections %}<li><a href="{% pageurl section %}"'
    '{% if current_section_id == section.pk %} aria-current="page"{% endif %}>{{ section.display_name }}</a></li>{% endfor %}'
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en"])
def test_nav_links_equal_the_template_loop(rf, politics, language):
    engine = engines["django"]
    request = rf.get("/")
    with translation.override(language):
        for current in (None, politics.pk):
            context = {"nav_sections": sections_in_order, "request": request, "current_section_id": current}
            expected = engine.from_string(LOOP).render(context)
            html = engine.from_string("{% load akhbar_tags %}{% nav_links %}").render(context)
            assert html == expected and html.count("<li>") == len(sections_in_order())
            assert ('aria-current="page"' in html) == (current is not None)
