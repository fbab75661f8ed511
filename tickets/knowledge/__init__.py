"""The policy knowledge base (政策知识库): articles maintained by departments and agents,
their revisions, Chinese full-text search with relevance ranking on SQLite and
PostgreSQL, and suggestions for a ticket."""
