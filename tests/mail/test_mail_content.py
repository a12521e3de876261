"""A post's content made safe for an email: absolute links, no images fetched, nothing that runs, a size cap."""

from forum.core.markdown import render_markdown
from forum.mail.content import html_for_email, post_content, text_for_email

POST = "http://127.0.0.1:5000/t/learning-cycles/7/3"


def test_relative_links_become_absolute_at_the_forum_address(app):
    html, _cut = html_for_email(
        '<p><a href="/p/12">quote</a> <a href="/u/aino">@aino</a> <a href="#fn-1">1</a></p>', POST)
    assert 'href="http://127.0.0.1:5000/p/12"' in html
    assert 'href="http://127.0.0.1:5000/u/aino"' in html
    assert f'href="{POST}#fn-1"' in html


def test_images_become_links_named_by_their_alt_text_and_nothing_is_fetched(app):
    html, _cut = html_for_email(
        '<p><img src="/uploads/3/chart.png" alt="A chart"> <a href="/p/1"><img src="/uploads/4/x.png" alt="inner"></a></p>',
        POST)
    assert "<img" not in html
    assert '<a href="http://127.0.0.1:5000/uploads/3/chart.png" rel="noopener noreferrer">[A chart]</a>' in html
    assert '<a href="http://127.0.0.1:5000/p/1" rel="noopener noreferrer">[inner]</a>' in html


def test_an_image_alt_text_cannot_inject_markup(app):
    html, _cut = html_for_email('<img src="/uploads/3/a.png" alt="&lt;b&gt;bold&lt;/b&gt;">', POST)
    assert "<b>" not in html and "&lt;b&gt;bold" in html


def test_scripts_styles_frames_and_handlers_are_removed_with_their_content(app):
    html, _cut = html_for_email(
        '<p onclick="steal()">Hi</p><script>steal()</script><style>p{display:none}</style>'
        '<iframe src="https://evil.example/">frame text</iframe><a href="javascript:steal()">x</a>', POST)
    assert html == '<p>Hi</p><a rel="noopener noreferrer">x</a>'


def test_a_long_post_is_cut_short_with_its_elements_closed(app):
    html, cut = html_for_email("<p>" + "word " * 200 + "</p><p>tail &amp; end</p>", POST, limit=300)
    assert cut and len(html) <= 310 and html.endswith("</p>") and "tail" not in html
    short, cut = html_for_email("<p>short</p>", POST, limit=300)
    assert not cut and short == "<p>short</p>"


def test_the_text_part_is_the_markdown_as_typed_cut_at_a_word(app):
    assert text_for_email("**Bold** and [a link](/p/1)\r\n") == ("**Bold** and [a link](/p/1)", False)
    text, cut = text_for_email("alpha " * 50, limit=40)
    assert cut and text.endswith("alpha …") and len(text) <= 42


def test_a_rendered_post_keeps_its_structure_for_mail(app):
    with app.test_request_context():
        cooked = render_markdown("# Plan\n\n- one\n- two\n\n```\ncode <b>\n```\n\n![remote](https://cdn.example/p.gif)")
    content = post_content("# Plan", cooked, POST)
    assert "<h1>Plan</h1>" in content.html and "<li>one</li>" in content.html
    assert "code &lt;b&gt;" in content.html
    assert "<img" not in content.html and 'href="https://cdn.example/p.gif"' in content.html
    assert content.text == "# Plan" and not content.truncated
