// Runs graphql-http's GraphQL-over-HTTP server audit against the URL given and prints
// every result as JSON: [{id, name, status: "ok" | "notice" | "warn" | "error", reason}].
import { auditServer } from 'graphql-http';

const results = await auditServer({ url: process.argv[2] });
console.log(
  JSON.stringify(
    results.map(({ id, name, status, reason }) => ({ id, name, status, reason })),
  ),
);
