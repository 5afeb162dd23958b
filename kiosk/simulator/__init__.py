"""Simulator-only parts of the kiosk core (test hooks). The composition root uses them for a
simulated kiosk only; an import-linter contract keeps them out of the production path."""
