"""The kiosk's side of the office queue server: a typed, bounded HTTP client whose every answer
is checked before the kiosk believes it."""
