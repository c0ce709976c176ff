"""kb: checks, renders and publishes a support help center from Markdown articles."""
