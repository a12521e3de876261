import io

import pytest


@pytest.fixture
def member(client, auth, make):
    """Aino, a member, logged in."""
    make.user("aino")
    auth.login("aino")


@pytest.fixture
def upload(client):
    """Post a file to the upload endpoint as the composer's script does."""

    def post(name, data):
        return client.post("/uploads", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")

    return post
