"""Setting up the kiosk PC's system services from the kiosk config: CUPS queues, udev rules."""
