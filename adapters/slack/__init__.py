"""The Slack adapter: slash commands, Block Kit, modals, shortcuts and App Home.

It stays thin: Slack requests become core calls (`Cruxbot.handle_line`, `run`,
`answer_mention`), and core Replies become Block Kit. Bolt's AsyncApp verifies
signatures, acknowledges within Slack's 3 seconds and speaks Socket Mode.
"""
