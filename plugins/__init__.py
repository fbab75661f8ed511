"""The plugin system: the contract (hookspecs), the manager, and the built-in plugins."""
