"""Saved logins: policy, session files, status, backups, history, notifications, login."""
