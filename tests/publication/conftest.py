# The comments' fixtures: a published report and the URL its form posts to.
from tests.comments.conftest import (  # noqa: F401
    post_comment,  # noqa: F401,E402
    post_url,
    report,
)
