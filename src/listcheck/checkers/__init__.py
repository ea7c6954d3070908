"""Remote services: one module per service behind the interface in :mod:`.base`."""
