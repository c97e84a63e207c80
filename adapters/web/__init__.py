"""The read-only web view: a reading's map, statements and minutes as HTML pages."""
