"""The simulator panel shown beside the kiosk window in simulator mode."""
