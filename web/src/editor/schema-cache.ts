/**
 * The OpenAPI documents the editor has fetched, one per group version and page: each is a few hundred kilobytes,
 * asked for the first time a manifest names its apiVersion. A group version the server does not serve (404) is
 * remembered as such; any other failure is forgotten, so the next check asks again.
 */
import { api, ApiError } from '../lib/api';
import { OpenApiDocument, openApiPath, SchemaIndex } from './k8s-schema';

const loaded = new Map<string, SchemaIndex | null>();
const pending = new Map<string, Promise<void>>();

/** What is known now of an apiVersion (see SchemaLookup). */
export function knownSchema(apiVersion: string): SchemaIndex | null | undefined {
  const path = openApiPath(apiVersion);
  return path ? loaded.get(path) : null;
}

/** Fetches the documents of the apiVersions not known yet. */
export async function loadSchemas(apiVersions: readonly string[]): Promise<void> {
  await Promise.all(
    apiVersions.map((apiVersion) => {
      const path = openApiPath(apiVersion);
      if (!path || loaded.has(path)) return undefined;
      let request = pending.get(path);
      if (!request) {
        request = api
          .openApi(path)
          .then(
            (document) => void loaded.set(path, new SchemaIndex(document as OpenApiDocument)),
            (error: unknown) => {
              if (error instanceof ApiError && error.status === 404) loaded.set(path, null);
            },
          )
          .finally(() => pending.delete(path));
        pending.set(path, request);
      }
      return request;
    }),
  );
}
