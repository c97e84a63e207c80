"""The process's settings from the environment (and an optional .env file).

They belong to the adapters, not the core: Discord's and Slack's tokens, the
HTTP server's address and limits, the shutdown grace. The core takes only what
`open_app` hands it (the database, meeting length, forget mode, write limit and
web links), so `bot/` never learns a platform exists.

A missing or malformed setting stops start-up with one line that names it,
before any connection is tried. Platform settings are only required for the
adapters being started: the console needs none of them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from dotenv import load_dotenv

from bot.app import Cruxbot
from bot.config import default_database_url
from bot.embeddings.settings import EmbeddingSettings, embedding_settings
from bot.services.limits import WriteLimit
from bot.services.web_access import WebAccess
from bot.storage.database import DatabaseUrlError, normalise_url

DISCORD_API_DEFAULT = "https://discord.com/api/v10"
SLACK_API_DEFAULT = "https://slack.com/api/"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
#: Seconds a stopping process gives work in flight (Docker kills after 10 by default).
DEFAULT_SHUTDOWN_GRACE = 8.0
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
#: Seconds a connection gets to send a request's headers (and to sit idle between requests).
DEFAULT_HEADER_TIMEOUT = 10.0
#: Seconds a request gets to send its body once its headers are in.
DEFAULT_BODY_TIMEOUT = 10.0
#: Connections the HTTP server holds open at once; more are turned away with 503.
DEFAULT_MAX_CONNECTIONS = 512


#: The shortest WEB_SECRET accepted: the tokens are only as unguessable as the key.
WEB_SECRET_MIN = 32


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names it."""


def _url(env: Mapping[str, str], name: str, default: str, schemes: Sequence[str]) -> str:
    value = env.get(name, "").strip() or default
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        allowed = " or ".join(f"{s}://" for s in schemes)
        raise SettingsError(f"{name} must be a URL starting with {allowed}, not {value!r}")
    return value


def parse_shards(
    ids_text: str,
    count_text: str,
    ids_name: str = "DISCORD_SHARD_IDS",
    count_name: str = "DISCORD_SHARD_COUNT",
) -> tuple[tuple[int, ...], int | None]:
    """Which Discord shards this process runs: (ids, count), validated together.

    Empty ids with a count means every shard of that count; neither means one
    process with discord.py's default (no sharding).

    Raises:
        SettingsError: naming `ids_name` or `count_name`.
    """
    count: int | None = None
    if count_text.strip():
        text = count_text.strip()
        if not text.isdigit() or int(text) < 1:
            raise SettingsError(
                f"{count_name} must be a whole number of shards (1 or more), not {text!r}"
            )
        count = int(text)
    if not ids_text.strip():
        return (), count
    ids: list[int] = []
    for part in ids_text.split(","):
        item = part.strip()
        if not item.isdigit():
            raise SettingsError(
                f"{ids_name} must be shard numbers separated by commas, not {ids_text.strip()!r}"
            )
        ids.append(int(item))
    if count is None:
        raise SettingsError(f"{count_name} is not set: {ids_name} needs the total number of shards")
    if len(set(ids)) != len(ids):
        raise SettingsError(f"{ids_name} names a shard twice: {ids_text.strip()!r}")
    out_of_range = [i for i in ids if i >= count]
    if out_of_range:
        raise SettingsError(
            f"{ids_name} has shard {out_of_range[0]}, but shards are numbered 0 to {count - 1} "
            f"({count_name} is {count})"
        )
    return tuple(ids), count


def _seconds(env: Mapping[str, str], name: str, default: float, most: float) -> float:
    """A number of seconds, more than 0 and at most `most`, naming `name` if it is not."""
    text = env.get(name, "").strip() or str(default)
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= most:
        raise SettingsError(
            f"{name} must be a number of seconds above 0 and up to {most:g}, not {text!r}"
        )
    return value


def _log_level(env: Mapping[str, str]) -> str:
    """LOG_LEVEL: one of logging's level names, INFO unless set."""
    text = env.get("LOG_LEVEL", "").strip().upper() or "INFO"
    if text not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {text!r}")
    return text


def _web_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """PUBLIC_URL and WEB_SECRET: links made by one process must open on every other."""
    public_url = env.get("PUBLIC_URL", "").strip()
    if public_url:
        public_url = _url(env, "PUBLIC_URL", "", ("http", "https")).rstrip("/")
    secret = env.get("WEB_SECRET", "").strip()
    if secret and len(secret) < WEB_SECRET_MIN:
        raise SettingsError(f"WEB_SECRET must be at least {WEB_SECRET_MIN} characters long")
    if public_url and not secret:
        raise SettingsError(
            "WEB_SECRET is not set: with PUBLIC_URL, web links need a secret of at least "
            f"{WEB_SECRET_MIN} characters shared by every process (e.g. the output of "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return {"public_url": public_url, "web_secret": secret}


def _names(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


def _discord_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """DISCORD_*: the bot token, where the API and gateway are, moderators, shards."""
    shard_ids, shard_count = parse_shards(
        env.get("DISCORD_SHARD_IDS", ""), env.get("DISCORD_SHARD_COUNT", "")
    )
    gateway = env.get("DISCORD_GATEWAY_URL", "").strip()
    if gateway:
        gateway = _url(env, "DISCORD_GATEWAY_URL", "", ("ws", "wss"))
    return {
        "discord_token": env.get("DISCORD_TOKEN", "").strip(),
        "discord_api_base_url": _url(
            env, "DISCORD_API_BASE_URL", DISCORD_API_DEFAULT, ("http", "https")
        ),
        "discord_gateway_url": gateway,
        "discord_moderator_roles": _names(env, "DISCORD_MODERATOR_ROLES"),
        "discord_shard_ids": shard_ids,
        "discord_shard_count": shard_count,
    }


def _slack_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """SLACK_*: the tokens and signing secret, where the API is, moderators."""
    return {
        "slack_bot_token": env.get("SLACK_BOT_TOKEN", "").strip(),
        "slack_app_token": env.get("SLACK_APP_TOKEN", "").strip(),
        "slack_signing_secret": env.get("SLACK_SIGNING_SECRET", "").strip(),
        "slack_api_base_url": _url(env, "SLACK_API_BASE_URL", SLACK_API_DEFAULT, ("http", "https")),
        "slack_moderators": _names(env, "SLACK_MODERATORS"),
    }


def _server_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The HTTP server and the process: address, limits, logs, shutdown grace."""
    port_text = env.get("PORT", "").strip() or str(DEFAULT_PORT)
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise SettingsError(f"PORT must be a number from 0 to 65535, not {port_text!r}")
    log_format = env.get("LOG_FORMAT", "text").strip().lower() or "text"
    if log_format not in ("text", "json"):
        raise SettingsError(f"LOG_FORMAT must be text or json, not {log_format!r}")
    grace_text = env.get("SHUTDOWN_GRACE_SECONDS", "").strip() or str(DEFAULT_SHUTDOWN_GRACE)
    try:
        grace = float(grace_text)
    except ValueError:
        grace = -1.0
    if not 0 <= grace <= 600:
        raise SettingsError(
            f"SHUTDOWN_GRACE_SECONDS must be a number of seconds from 0 to 600, not {grace_text!r}"
        )
    connections_text = env.get("HTTP_MAX_CONNECTIONS", "").strip() or str(DEFAULT_MAX_CONNECTIONS)
    if not connections_text.isdigit() or not 1 <= int(connections_text) <= 100_000:
        raise SettingsError(
            f"HTTP_MAX_CONNECTIONS must be a number from 1 to 100000, not {connections_text!r}"
        )
    return {
        "host": env.get("HOST", "").strip() or DEFAULT_HOST,
        "port": int(port_text),
        "log_format": log_format,
        "log_level": _log_level(env),
        "shutdown_grace_seconds": grace,
        "http_header_timeout": _seconds(
            env, "HTTP_HEADER_TIMEOUT_SECONDS", DEFAULT_HEADER_TIMEOUT, 3600
        ),
        "http_body_timeout": _seconds(env, "HTTP_BODY_TIMEOUT_SECONDS", DEFAULT_BODY_TIMEOUT, 3600),
        "http_max_connections": int(connections_text),
    }


def _rule_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """The host's rules the core follows: meeting length, forgetting, the write limit."""
    hours_text = env.get("MEETING_MAX_HOURS", "").strip() or "6"
    try:
        meeting_max_hours = float(hours_text)
    except ValueError:
        meeting_max_hours = -1.0
    if not 0 < meeting_max_hours <= 24 * 30:
        raise SettingsError(
            f"MEETING_MAX_HOURS must be a number of hours from 0 to 720, not {hours_text!r}"
        )
    forget_mode = env.get("FORGET_MODE", "").strip().lower() or "delete"
    if forget_mode not in ("delete", "anonymise"):
        raise SettingsError(f"FORGET_MODE must be delete or anonymise, not {forget_mode!r}")
    write_limit = env.get("WRITE_RATE_LIMIT", "").strip() or "30/60"
    try:
        WriteLimit.parse(write_limit)
    except ValueError:
        raise SettingsError(
            f"WRITE_RATE_LIMIT must look like 30/60 (writes per seconds) or 0, not {write_limit!r}"
        ) from None
    return {
        "meeting_max_hours": meeting_max_hours,
        "forget_mode": forget_mode,
        "write_limit": write_limit,
    }


@dataclass(frozen=True)
class Settings:
    """Everything the process needs to know before it starts."""

    database_url: str
    discord_token: str = ""
    discord_api_base_url: str = DISCORD_API_DEFAULT
    discord_gateway_url: str = ""
    discord_moderator_roles: tuple[str, ...] = ()
    #: The shards this process connects (empty: all of `discord_shard_count`, or no sharding).
    discord_shard_ids: tuple[int, ...] = ()
    #: Total shards across every process (None: discord.py's default, one connection).
    discord_shard_count: int | None = None
    slack_bot_token: str = ""
    slack_app_token: str = ""
    slack_signing_secret: str = ""
    slack_api_base_url: str = SLACK_API_DEFAULT
    slack_moderators: tuple[str, ...] = ()
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    log_format: str = "text"
    log_level: str = "INFO"
    meeting_max_hours: float = 6.0
    forget_mode: str = "delete"
    write_limit: str = "30/60"
    shutdown_grace_seconds: float = DEFAULT_SHUTDOWN_GRACE
    http_header_timeout: float = DEFAULT_HEADER_TIMEOUT
    http_body_timeout: float = DEFAULT_BODY_TIMEOUT
    http_max_connections: int = DEFAULT_MAX_CONNECTIONS
    #: Where the web pages are reachable ("" : no links in chat, see adapters/web).
    public_url: str = ""
    #: The key web tokens are derived with ("" : a random one for this process).
    web_secret: str = ""
    #: The embedding provider /ask also matches meaning with (None: words alone).
    embeddings: EmbeddingSettings | None = None

    @classmethod
    def load(
        cls, database_url: str | None = None, env: Mapping[str, str] | None = None
    ) -> Settings:
        """Read and validate settings; an explicit URL (``--db``) wins over the env.

        Raises:
            SettingsError: a setting is malformed.
        """
        if env is None:
            load_dotenv(override=False)
            env = os.environ
        url = database_url or env.get("DATABASE_URL", "").strip() or default_database_url()
        try:
            normalise_url(url)
        except DatabaseUrlError as exc:
            raise SettingsError(str(exc)) from exc
        try:
            embeddings = embedding_settings(env)
        except ValueError as exc:
            raise SettingsError(str(exc)) from exc
        return cls(
            database_url=url,
            embeddings=embeddings,
            **_server_settings(env),
            **_rule_settings(env),
            **_discord_settings(env),
            **_slack_settings(env),
            **_web_settings(env),
        )

    def web_access(self) -> WebAccess:
        """The web secret and public address the web view's links are made with."""
        if self.web_secret:
            return WebAccess(self.web_secret.encode(), self.public_url)
        return WebAccess(base_url=self.public_url)

    async def open_app(self, *, demo_for_new_workspaces: bool = False) -> Cruxbot:
        """The application on these settings' database, schema brought up to date."""
        return await Cruxbot.open(
            self.database_url,
            demo_for_new_workspaces=demo_for_new_workspaces,
            meeting_max_age=timedelta(hours=self.meeting_max_hours),
            forget_mode=self.forget_mode,
            write_limit=WriteLimit.parse(self.write_limit),
            web=self.web_access(),
            embeddings=self.embeddings.provider() if self.embeddings else None,
        )

    def require_for(self, platforms: Sequence[str]) -> None:
        """Check the settings the chosen adapters need, naming the first one missing."""
        if "discord" in platforms and not self.discord_token:
            raise SettingsError("DISCORD_TOKEN is not set: the Discord adapter needs the bot token")
        if "slack" in platforms:
            if not self.slack_bot_token:
                raise SettingsError("SLACK_BOT_TOKEN is not set: the Slack adapter needs it")
            if not self.slack_bot_token.startswith("xoxb-"):
                raise SettingsError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-")
            if self.slack_app_token and not self.slack_app_token.startswith("xapp-"):
                raise SettingsError("SLACK_APP_TOKEN must be an app-level token starting xapp-")
            if not self.slack_app_token and not self.slack_signing_secret:
                raise SettingsError(
                    "SLACK_SIGNING_SECRET is not set: HTTP mode needs it "
                    "(or set SLACK_APP_TOKEN for Socket Mode)"
                )
