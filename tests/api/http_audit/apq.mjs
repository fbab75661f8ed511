// Apollo Client's own persisted-query link against wuyou, over POST and over GET: the
// first request sends only the hash, wuyou answers PersistedQueryNotFound, the link sends
// the query with the hash; the next time the hash alone is enough. Prints what happened.
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { createHash } from 'node:crypto';

const url = process.argv[2];
const tag = process.argv[3];
const runs = [];
for (const useGETForHashedQueries of [false, true]) {
  const requests = [];
  const fetchLogged = async (input, init = {}) => {
    const response = await fetch(input, init);
    const sent = init.body
      ? JSON.parse(init.body)
      : Object.fromEntries(new URL(input).searchParams);
    requests.push({
      method: init.method ?? 'GET',
      status: response.status,
      withQuery: typeof sent.query === 'string' && sent.query.length > 0,
    });
    return response;
  };
  const link = new PersistedQueryLink({
    sha256: (text) => createHash('sha256').update(text).digest('hex'),
    useGETForHashedQueries,
  }).concat(new HttpLink({ uri: url, fetch: fetchLogged }));
  const client = new ApolloClient({ link, cache: new InMemoryCache() });
  const name = `Apollo${tag}${useGETForHashedQueries ? 'Get' : 'Post'}`;
  const query = gql(`query ${name} { serviceTypes { code } }`);
  const answers = [];
  for (let i = 0; i < 2; i++) {
    const { data, error } = await client.query({ query, fetchPolicy: 'network-only' });
    answers.push({ data, error: error ? String(error) : null });
  }
  runs.push({ useGETForHashedQueries, requests, answers });
}
console.log(JSON.stringify(runs));
