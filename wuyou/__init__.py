"""wuyou (无忧): a GraphQL API for a city's public-service platform.

This package is the small public face of the platform: the clock, the error
types and the event broadcaster that every domain package shares. The plugin
contract (``hookimpl``, ``ServiceType``) is re-exported here once the marketplace
defines it, so a plugin writes ``from wuyou import hookimpl, ServiceType``.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("wuyou")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
