"""Open formats: export a map as JSON, Markdown, Argdown or AIF; import JSON, packs, Kialo."""
