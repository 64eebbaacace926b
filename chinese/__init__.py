"""Chinese text processing shared by import, search and the script variants: pure functions, no Django."""
