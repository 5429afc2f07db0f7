"""One router per resource of the JSON API, plus the web page."""
