"""Accounts: who may sign in, with which role; passwords and bearer tokens.

The bottom of the domain stack: accounts point at nothing, and the other domain
packages attach their own relations to them (a grid worker's grid, a department
member's department, a merchant's staff).
"""
