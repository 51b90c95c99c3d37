/**
 * What a route's core is given as `input`: the JSON body for routes with one (POST, PUT, PATCH),
 * the query string parameters otherwise — checked by the route's schema when it has one. A schema
 * failure is 422, one entry per failing field: the body is well-formed JSON whose content is
 * wrong, and clients can show each error beside its field.
 */
import { validateInput } from '@gatehouse/contract';
import { type RawBody, readJsonBody } from './body';
import { stringValues } from './event-values';
import { Rejection } from './rejection';
import type { EdgeRoute } from './routes';

export async function readInput(
  route: EdgeRoute,
  method: string,
  raw: RawBody,
  query: Readonly<Record<string, string | undefined>> | undefined,
  maxBodyBytes: number,
): Promise<unknown> {
  const carriesBody = route.method === 'ANY' ? !['GET', 'HEAD', 'DELETE'].includes(method) : route.hasBody;
  // The gateway joins repeated query parameters with commas (`?a=1&a=2` → `"1,2"`), as it does on AWS.
  const value = carriesBody ? readJsonBody(raw, maxBodyBytes) : stringValues(query);
  if (!route.schema) return value;
  const result = await validateInput(route.schema, value);
  if (!result.ok) {
    const what = carriesBody ? 'fields' : 'query parameters';
    throw new Rejection('validation_failed', `Some ${what} are missing or invalid; see errors.`, result.errors);
  }
  return result.value;
}
