"""What every extractor shares: its config, landing writes, sessions, browser pages, errors."""
