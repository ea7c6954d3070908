"""``listcheck add``: new papers written into a list the way its own entries are."""
