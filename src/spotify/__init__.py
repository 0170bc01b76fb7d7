"""Spotify for Artists exports: audience timelines, songs, song timelines and playlists."""
