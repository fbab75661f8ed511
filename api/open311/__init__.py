"""Open311 GeoReport v2 at /open311/v2/: the hotline's categories as services, tickets
as service requests, created through the same intake as ``createTicket``.

``endpoints`` (the routes), ``formats`` (JSON and XML, errors), ``services`` (categories
as services and their definition), ``requests`` (tickets as service requests),
``intake`` (a POST as a ticket request) and ``clients`` (client applications' keys).
"""

from api.open311.endpoints import routes

__all__ = ["routes"]
