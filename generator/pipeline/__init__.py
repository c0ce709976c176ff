"""The build pipeline, one folder or module per stage (see generator/README.md)."""
