# The comments' fixtures: a published report and the URL its form posts to.
from tests.comments.conftest import post_url, report  # noqa: F401
from tests.comments.conftest import post_comment  # noqa: F401,E402
