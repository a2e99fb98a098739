"""The `acv` command line, an edge over the service layer (entry point `cli.main:main`)."""
