"""Fleet operations on the kiosk's side: pushed config revisions and remote commands."""
