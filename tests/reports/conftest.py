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


@pytest.fixture
def chief_editor(db):
    """A staff member in "Chefredaktion": the Editors' permissions plus publishing."""
    return staff_in_group("Chefredaktion", username="chefin")


@pytest.fixture
def chief_client(client, chief_editor):
    client.force_login(chief_editor)
    return client
