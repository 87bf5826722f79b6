"""Bot API methods about the bot itself: getMe, its commands, descriptions, name, getChat."""

from __future__ import annotations

import json
from functools import partialmethod

from bot.localapi.params import Params, bad_request
from bot.localapi.state import ApiState


class ProfileMethods(ApiState):
    """The bot's identity and profile; `_m_<method>` answers the Bot API method <method>."""

    async def _m_getMe(self, params: Params) -> dict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_logOut(self, params: Params) -> bool:
        return True

    async def _m_close(self, params: Params) -> bool:
        return True

    def _commands_key(self, params: Params) -> tuple[str, str]:
        scope = params.json("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), params.str("language_code", "") or ""

    async def _m_setMyCommands(self, params: Params) -> bool:
        commands = params.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("BOT_COMMANDS_TOO_MUCH" if commands else "commands not specified")
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32 and name.replace("_", "").isalnum() and name.islower()):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = commands
        return True

    async def _m_getMyCommands(self, params: Params) -> list[dict]:
        return self.commands.get(self._commands_key(params), [])

    async def _m_deleteMyCommands(self, params: Params) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _set_profile(self, params: Params, kind: str) -> bool:
        text = params.str(kind, "") or ""
        self.descriptions.setdefault(kind, {})[params.str("language_code", "") or ""] = text
        return True

    async def _get_profile(self, params: Params, kind: str) -> dict:
        language = params.str("language_code", "") or ""
        texts = self.descriptions.get(kind, {})
        return {kind: texts.get(language, texts.get("", ""))}

    _m_setMyDescription = partialmethod(_set_profile, kind="description")
    _m_getMyDescription = partialmethod(_get_profile, kind="description")
    _m_setMyShortDescription = partialmethod(_set_profile, kind="short_description")
    _m_getMyShortDescription = partialmethod(_get_profile, kind="short_description")
    _m_setMyName = partialmethod(_set_profile, kind="name")
    _m_getMyName = partialmethod(_get_profile, kind="name")

    async def _m_setChatMenuButton(self, params: Params) -> bool:
        return True

    async def _m_getChat(self, params: Params) -> dict:
        return {**self._chat(params), "accent_color_id": 0, "max_reaction_count": 11}
