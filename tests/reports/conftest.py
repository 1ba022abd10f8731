import pytest

from tests.factories import staff_in_group


@pytest.fixture
def editor(db):
    """A staff member in the "Editors" group that a migration creates."""
    return staff_in_group("Editors", username="redakteurin")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
