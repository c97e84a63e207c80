"""Platform adapters: thin translators between a chat platform and the core."""
