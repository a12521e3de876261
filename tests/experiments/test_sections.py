"""The experiment's page shows what other packages register (workshops, peer challenges), and nothing else."""

import pytest
from markupsafe import Markup, escape

from forum.experiments import sections
from tests.conftest import page_text


@pytest.fixture
def workshops_section():
    seen = []

    def provider(experiment, user):
        seen.append((experiment.slug, user.username))
        return Markup("<h2>Workshops where it featured</h2><p>{}</p>").format(escape(f"Launch for {experiment.title}"))

    sections.register("test-section", provider)
    yield seen
    sections.unregister("test-section")


def test_a_registered_section_shows_on_the_experiment_page_for_its_viewer(client, auth, make, propose, workshops_section):
    aino = make.user("aino")
    propose(aino)
    auth.login("aino")
    text = page_text(client.get("/experiments/learning-cycles-in-schools"))
    assert "Workshops where it featured Launch for Learning cycles in schools" in text
    assert workshops_section == [("learning-cycles-in-schools", "aino")]


def test_without_a_registered_section_the_page_shows_no_workshops(client, auth, make, propose):
    aino = make.user("aino")
    propose(aino)
    auth.login("aino")
    assert "Workshops where it featured" not in page_text(client.get("/experiments/learning-cycles-in-schools"))
