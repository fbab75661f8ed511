"""液化气配送 (LPG cylinder delivery): an example wuyou plugin.

The plugin itself lives in :mod:`wuyou_lpg_delivery.plugin`, the module the ``wuyou``
entry point names. This package adds nothing else, so importing it is cheap.
"""

__version__ = "0.1.0"
