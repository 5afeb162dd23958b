"""Third-party libraries imported with their import-time side effects contained.

The lowest layer: ``devices`` and ``printing`` (which may not import each other) both use it, so
each workaround exists once. Imports nothing from the kiosk's own packages.
"""
