"""Rendering: the platform-neutral Reply and its plain-text form."""
