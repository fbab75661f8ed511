"""Tickets: the 12345 work orders (intake, routing, SLA, lifecycle, satisfaction, KPIs)."""
