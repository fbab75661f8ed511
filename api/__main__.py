"""``python -m api`` runs the wuyou CLI."""

from api.cli import main

main()
