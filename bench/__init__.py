"""``make bench``: the benchmark suite (README.md in this folder)."""
