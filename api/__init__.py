"""The ASGI application, its settings, authentication, lifespan and the ``wuyou`` CLI."""
