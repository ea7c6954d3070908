"""Rules: stable ids, default severities, and the offline checks that implement them."""
