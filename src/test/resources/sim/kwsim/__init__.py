"""The stand-ins of a simulated node (see ../README.md)."""
