"""Shared drawing for the document layouts: fonts, fitted text, vector QR, table grids."""
