"""The local console: try Cruxbot on a laptop, or script it line by line."""
