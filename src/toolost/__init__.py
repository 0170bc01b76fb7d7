"""TooLost: daily Spotify and Apple Music streams from the portal's analytics JSON."""
