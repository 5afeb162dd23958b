"""The registry simulator: the v1 contract over real HTTP, on synthetic data (never production)."""
