"""Merchants: registration, orders, offers and the dispatch engine."""
