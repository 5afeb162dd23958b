"""Cameras: ``opencv`` (a real V4L2 camera or a video file) and ``sim`` (generated frames)."""
