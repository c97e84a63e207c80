"""Who is asking, and in which installation: Slack payloads as core Callers.

The core's workspace is the installation the request reached, as Bolt reads it
from the request (its context), never re-derived here from the payload:

- an app installed in one workspace: that workspace's team id
  (`context.team_id`; for a form, Bolt takes `view.app_installed_team_id`, the
  team the app is installed in, not the submitter's);
- an org-wide install (Enterprise Grid, `context.is_enterprise_install`): the
  organisation's id (`context.enterprise_id`, an `E…` id). One install, one
  bot token and one map for the whole organisation. The team a request
  carries cannot name the map there: commands carry the team they were typed
  in, buttons the presser's home team, forms the team the app was opened
  from, and events none at all, while a channel may be shared by several of
  the organisation's workspaces. Keyed by the organisation, a group's map is
  the same whether a member types a command, presses a button or submits a
  form, from whichever of its workspaces.

Team ids start with T and organisation ids with E, so the two never collide.
A request whose installation cannot be told is refused, never put in a
workspace named "".

Workspace admins and owners (users.info) are moderators (in an organisation's
map, the organisation's admins and owners), and so is anyone whose user id is
listed in SLACK_MODERATORS. Lookups are cached briefly per process:
the cache only saves calls, it decides nothing users.info would not.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.base_context import BaseContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.context import Caller
from bot.errors import UserError

log = logging.getLogger(__name__)

PLATFORM = "slack"
CACHE_SECONDS = 300.0
CACHE_SIZE = 5000
NO_WORKSPACE = "Cruxbot cannot tell which workspace this came from, so it changed nothing."
NO_WORKSPACE_HINT = "Try again from a channel; if it keeps happening, reinstall the app."


@dataclass(frozen=True)
class Member:
    """What the adapter needs to know about a Slack user."""

    name: str
    is_admin: bool


class MemberDirectory:
    """users.info with a short per-process cache, plus the configured moderators."""

    def __init__(self, moderators: Iterable[str] = (), ttl: float = CACHE_SECONDS) -> None:
        """Remember the user ids that count as moderators besides workspace admins."""
        self.moderators = frozenset(moderators)
        self.ttl = ttl
        self._cache: dict[tuple[str, str], tuple[float, Member]] = {}

    async def member(
        self, client: AsyncWebClient, team_id: str, user_id: str, fallback_name: str = ""
    ) -> Member:
        """The member's display name and admin flag (never raises)."""
        key = (team_id, user_id)
        cached = self._cache.get(key)
        now = time.monotonic()
        if cached is not None and cached[0] > now:
            return cached[1]
        member = Member(fallback_name or user_id, False)
        try:
            response = await client.users_info(user=user_id)
            user: Mapping[str, Any] = response.get("user") or {}
            profile: Mapping[str, Any] = user.get("profile") or {}
            name = (
                profile.get("display_name")
                or profile.get("real_name")
                or user.get("real_name")
                or user.get("name")
                or member.name
            )
            member = Member(str(name), _admin_of(user, team_id))
        except SlackApiError as exc:
            log.warning("users.info for %s failed: %s", user_id, exc.response.get("error"))
            return member  # not cached: the next command asks again
        except Exception:
            log.warning("users.info for %s failed", user_id, exc_info=True)
            return member
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = (now + self.ttl, member)
        return member

    async def caller(
        self,
        client: AsyncWebClient,
        *,
        team_id: str,
        user_id: str,
        user_name: str = "",
        channel_id: str = "",
        workspace_name: str = "",
        origin_url: str = "",
        request_key: str = "",
    ) -> Caller:
        """The core's Caller for a Slack user acting in a channel (or the App Home)."""
        member = await self.member(client, team_id, user_id, user_name)
        return Caller(
            platform=PLATFORM,
            workspace_id=team_id,
            user_id=user_id,
            user_name=member.name,
            channel_id=channel_id,
            is_moderator=member.is_admin or user_id in self.moderators,
            origin_url=origin_url,
            workspace_name=workspace_name,
            request_key=request_key,
        )

    async def request_caller(
        self,
        client: AsyncWebClient,
        context: BaseContext,
        body: Mapping[str, Any],
        user: tuple[str, str],
        channel_id: str,
        **extra: str,
    ) -> Caller:
        """The member `user` (id, name) in the request's workspace, as Bolt read it.

        Every listener (commands, buttons, forms, mentions, App Home) asks here,
        so a request from an installation it cannot tell is refused the same way.

        Raises:
            UserError: the request does not say which installation it reached.
        """
        workspace = workspace_of(context)
        if not workspace:
            raise UserError(NO_WORKSPACE, hint=NO_WORKSPACE_HINT)
        return await self.caller(
            client,
            team_id=workspace,
            user_id=user[0],
            user_name=user[1],
            channel_id=channel_id,
            workspace_name=workspace_label(body, context),
            **extra,
        )


def _admin_of(user: Mapping[str, Any], workspace_id: str) -> bool:
    """Whether users.info makes the user a moderator of `workspace_id`.

    In an organisation's map (org-wide install) only the organisation's admins
    and owners are: an admin of one of its workspaces moderates that workspace,
    not every group of the organisation. Elsewhere, the workspace's admins and owners.
    """
    enterprise: Mapping[str, Any] = user.get("enterprise_user") or {}
    if workspace_id and enterprise.get("enterprise_id") == workspace_id:
        return bool(enterprise.get("is_admin") or enterprise.get("is_owner"))
    return bool(user.get("is_admin") or user.get("is_owner"))


def installation_id(team_id: str | None, enterprise_id: str | None, org_wide: bool | None) -> str:
    """The core's workspace id: the organisation for an org-wide install, else the team."""
    return str((enterprise_id if org_wide else team_id) or "")


def workspace_of(context: BaseContext) -> str:
    """The workspace of a request, from Bolt's context ("" if it cannot be told)."""
    return installation_id(context.team_id, context.enterprise_id, context.is_enterprise_install)


def workspace_label(body: Mapping[str, Any], context: BaseContext) -> str:
    """A name to show for the workspace: the organisation's or the team's (display only)."""
    if context.is_enterprise_install:
        enterprise = body.get("enterprise")
        if isinstance(enterprise, Mapping):
            return str(enterprise.get("name") or "")
        return str(body.get("enterprise_name") or "")
    team = body.get("team")
    if isinstance(team, Mapping):
        return str(team.get("domain") or "")
    return str(body.get("team_domain") or "")
