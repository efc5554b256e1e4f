"""上线检查 Going live: the settings that still hold the sample site's values, and `make release`'s dry run."""
