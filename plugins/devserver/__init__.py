"""`make devserver` (`python -m devserver`): a preview whose builder keeps the site in memory and applies edits."""
