"""Code reading: decoder backends (``zxing``, ``zbar``), the debouncer and the scan worker."""
