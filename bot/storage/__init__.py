"""Storage: models, engine, repositories and the unit of work."""
