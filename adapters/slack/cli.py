"""`cruxbot slack manifest`: print the app manifest to paste into Slack."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

from adapters.settings import Settings
from adapters.slack.manifest import manifest_yaml


async def manifest(settings: Settings, request_url: str | None) -> int:
    """Print the manifest (Socket Mode, or HTTP mode at `request_url`); the exit status."""
    del settings  # the manifest depends only on the command spec and the mode
    if request_url is not None:
        parts = urlsplit(request_url)
        if parts.scheme != "https" or not parts.netloc:
            print(
                f"cruxbot: --http-url must be a public https:// URL, not {request_url!r}",
                file=sys.stderr,
            )
            return 2
    sys.stdout.write(manifest_yaml(request_url))
    return 0
