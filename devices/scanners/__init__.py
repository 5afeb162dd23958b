"""Code scanners that deliver whole codes: HID keyboard wedges (evdev) and serial scanners."""
