"""The agency's Information Request pages inside a complaint record."""
