"""What member-written raw HTML may not do: load images from anywhere but our uploads, or wear the classes
and ids that the renderer itself gives to mentions, task lists, footnotes and code."""

import re

import pytest

from forum.core.markdown import render_markdown

LINK_REL = 'rel="nofollow ugc noopener noreferrer"'


@pytest.mark.parametrize(
    "raw",
    ['<img src="https://other.site/x.png" alt="chart">', '<img alt="chart" src="//other.site/x.png">'],
)
def test_raw_html_images_from_other_sites_become_links(raw):
    html = render_markdown(f"See {raw} here")
    assert "<img" not in html
    assert re.search(r'<a href="(https:)?//other.site/x.png"[^>]*>chart</a>', html), html


@pytest.mark.parametrize(
    "src", ["/notifications/5", "/u/aino/follow", "notifications/5", "/uploads/", "/uploads/1/../../logout"]
)
def test_images_that_are_not_uploads_do_not_load(src):
    for text in (f'<img src="{src}" alt="chart">', f"![chart]({src})"):
        html = render_markdown(text)
        assert "<img" not in html, html
        assert "chart" in html


def test_uploaded_images_still_show():
    html = render_markdown('![chart](/uploads/7/chart.png) <img src="/uploads/8/photo.jpg" alt="photo">')
    assert '<img src="/uploads/7/chart.png" alt="chart">' in html
    assert '<img src="/uploads/8/photo.jpg" alt="photo">' in html


def test_image_inside_a_link_becomes_its_text_not_a_link_in_a_link():
    html = render_markdown("[![logo](https://other.site/logo.png)](https://other.site)")
    assert html.count("<a ") == 1 and "logo" in html and "<img" not in html


@pytest.mark.parametrize(
    "raw",
    [
        '<a class="mention" href="/u/admin">@admin</a>',
        '<blockquote class="quote"><p class="quote-source">@admin said</p></blockquote>',
        '<ul class="contains-task-list"><li class="task-list-item">x</li></ul>',
        '<code class="language-python">x</code>',
        '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>',
        '<li id="fn-1" class="footnote-item">x</li>',
    ],
)
def test_raw_html_cannot_wear_the_renderers_classes_or_ids(raw):
    html = render_markdown(raw)
    assert "class=" not in html and "id=" not in html, html


def test_the_renderers_own_classes_stay():
    html = render_markdown("Hi @aino\n\n- [x] done\n\n| a |\n|:-:|\n| 1 |", )
    assert 'class="contains-task-list"' in html and 'class="task-list-item"' in html
    assert 'class="text-center"' in html
