"""Demo community for `make run`."""
