"""Discord on loopback: a fake REST API and gateway, and the payloads they carry."""
