"""The Discord adapter: every core command as a slash command, button, modal or menu.

It stays thin: interactions and mentions become core calls (`Cruxbot.run`,
`answer_mention`, `autocomplete`), and the core's `Reply` becomes an embed with
buttons. Modules: `schema` (slash commands from the spec), `render` (Reply to
embed within Discord's limits), `forms` (modals), `interactions` (what each
interaction does), `mentions` (answers in threads), `client` (the gateway
client), `runner` (`cruxbot serve discord`) and `cli` (`cruxbot discord ...`).
"""
