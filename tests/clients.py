from django.test import Client


class BrowserClient(Client):
    """The test client as a current browser sends a form from this site: with Fetch Metadata
    (`Sec-Fetch-Site: same-origin`), which the reader's forms require (fetch_metadata.py)."""

    def __init__(self, *args, headers=None, **kwargs):
        headers = {"Sec-Fetch-Site": "same-origin", **(headers or {})}
        super().__init__(*args, headers=headers, **kwargs)
