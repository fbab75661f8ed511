"""Grids: the five-level area hierarchy, grid workers, departments, intake channels,
and location → grid."""
