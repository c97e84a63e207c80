"""The composition root: the `cruxbot` command line and `cruxbot serve`.

Only this package puts the core (`bot/`) and the adapters (`adapters/`)
together: it parses the command line, loads the settings, and starts the
console, the chat adapters or the web view. Neither layer imports it, and no
other module imports more than one adapter (tests/test_layers.py).
"""
