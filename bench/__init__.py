"""`make bench`: generated corpora built by our project, stock Pelican and Hugo, with figures and ratios."""
