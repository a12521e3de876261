"""Nothing a member writes disappears without a word: long autolinks, raw-text HTML elements and the
language of fenced code all reach the reader."""

import re

from forum.core.markdown import render_markdown


def _visible(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_very_long_www_autolink_keeps_its_text():
    address = "www." + "a." * 5000 + "com"
    assert f"Look at {address} now" in _visible(render_markdown(f"Look at {address} now"))


def test_raw_text_html_elements_do_not_eat_the_rest_of_the_post():
    for tag in ("title", "textarea", "xmp", "style", "script", "noscript", "iframe", "noembed", "noframes", "plaintext"):
        html = render_markdown(f"Before <{tag}> inside\n\nAfter **this**\n\n<{tag.upper()} x=1>\n\n*Still* here")
        assert "<strong>this</strong>" in html, (tag, html)
        assert "<em>Still</em> here" in html, (tag, html)
        assert f"&lt;{tag}&gt;" in html, (tag, html)


def test_raw_text_html_block_does_not_swallow_what_follows():
    html = render_markdown("<textarea>\n\n*foo*\n\n</textarea>\n\nAfter **bold**")
    assert "<strong>bold</strong>" in html and "<em>foo</em>" in html


def test_fenced_code_keeps_its_language_class():
    html = render_markdown("```python\nprint(1)\n```\n\n```c++\nx;\n```\n\n```bad\"lang\nx\n```")
    assert '<code class="language-python">' in html
    assert '<code class="language-c++">' in html
    assert "bad" not in html.split("<code")[3].split(">")[0]
