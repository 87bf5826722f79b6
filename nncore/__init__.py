"""nncore: a small neural-network library in pure NumPy, written to be read."""
