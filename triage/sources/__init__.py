"""Where raw messages come from."""
