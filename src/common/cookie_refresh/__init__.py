"""The cookie tools as scripts (`python src/common/cookie_refresh/<tool>.py`) and as modules
(`python -m common.cookie_refresh.refresher`); each runs a `bedrot cookies` command."""
