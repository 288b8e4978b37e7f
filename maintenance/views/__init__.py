"""The maintenance pages: an aircraft's maintenance, its items and sign-offs, squawks."""
