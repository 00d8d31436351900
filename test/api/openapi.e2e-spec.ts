import request from 'supertest';
import { startTestApi, TestApi } from '../support/api';

/** The parts of an OpenAPI 3 document this test reads. */
interface MediaType {
  schema?: Schema;
  example?: unknown;
  examples?: Record<string, unknown>;
}
interface Schema {
  $ref?: string;
  example?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema;
  type?: string;
  format?: string;
}
interface Operation {
  summary?: string;
  parameters?: { name: string; in: string; example?: unknown; schema?: Schema }[];
  requestBody?: { content: Record<string, MediaType> };
  responses: Record<
    string,
    { content?: Record<string, MediaType>; headers?: Record<string, { example?: unknown }> }
  >;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

describe('OpenAPI document (/api/docs-json)', () => {
  let api: TestApi;
  let document: Document;
  let operations: { id: string; operation: Operation }[];

  beforeAll(async () => {
    api = await startTestApi();
    const response = await request(api.server).get('/api/docs-json').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    // The raw text must be JSON on its own, as a client generator reads it.
    document = JSON.parse(response.text) as Document;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, operation]) => ({ id: `${method.toUpperCase()} ${path}`, operation })),
    );
  });

  afterAll(() => api?.close());

  function resolve(schema: Schema | undefined): Schema | undefined {
    if (!schema?.$ref) return schema;
    return document.components.schemas[schema.$ref.replace('#/components/schemas/', '')];
  }

  /** Every property of a request body has an example (nested DTOs too), or the body is an opaque file. */
  function propertiesWithoutExample(schema: Schema | undefined, at: string): string[] {
    const resolved = resolve(schema);
    if (!resolved) return [at];
    if (resolved.format === 'binary') return [];
    if (resolved.type === 'array') return propertiesWithoutExample(resolved.items, `${at}[]`);
    if (!resolved.properties) return resolved.example === undefined ? [at] : [];
    return Object.entries(resolved.properties).flatMap(([name, property]) => {
      if (property.example !== undefined) return [];
      if (property.$ref || property.items) return propertiesWithoutExample(property, `${at}.${name}`);
      return [`${at}.${name}`];
    });
  }

  function hasExample(operation: Operation): boolean {
    return Object.entries(operation.responses)
      .filter(([status]) => status.startsWith('2'))
      .some(([, response]) => {
        const bodies = Object.values(response.content ?? {});
        const headers = Object.values(response.headers ?? {});
        return (
          bodies.some((body) => body.example !== undefined || body.examples !== undefined) ||
          headers.some((header) => header.example !== undefined) ||
          // A 204 says nothing of its own: its example is the request's path it names.
          (operation.parameters ?? []).some(
            (parameter) => parameter.example !== undefined || parameter.schema?.example !== undefined,
          )
        );
      });
  }

  it('is OpenAPI 3 and lists the whole API', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.map((entry) => entry.id)).toEqual(
      expect.arrayContaining([
        'POST /api/auth/login',
        'GET /api/health',
        'POST /api/courses/{courseId}/labs/{labId}/session',
        'PUT /api/lab-sessions/{labSessionId}/home/file',
        'POST /api/authoring/drafts',
      ]),
    );
  });

  it('gives every operation a summary', () => {
    expect(operations.filter(({ operation }) => !operation.summary?.trim()).map((entry) => entry.id)).toEqual(
      [],
    );
  });

  it('lists at least one error response for every operation, each with an example body', () => {
    const errorsOf = (operation: Operation) =>
      Object.entries(operation.responses).filter(([status]) => /^[45]\d\d$/.test(status));
    expect(
      operations.filter(({ operation }) => errorsOf(operation).length === 0).map((entry) => entry.id),
    ).toEqual([]);
    const withoutExample = operations.flatMap(({ id, operation }) =>
      errorsOf(operation)
        .filter(
          ([, response]) => !Object.values(response.content ?? {}).some((body) => body.example !== undefined),
        )
        .map(([status]) => `${id} ${status}`),
    );
    expect(withoutExample).toEqual([]);
  });

  it('documents 401 on every route that needs a session', () => {
    // These need none; login's 401 (a wrong password) is of another kind and listed.
    const publicRoutes = ['POST /api/auth/register', 'POST /api/auth/logout', 'GET /api/health'];
    const without401 = operations
      .filter(({ operation }) => operation.responses['401'] === undefined)
      .map((entry) => entry.id);
    expect(without401.sort()).toEqual(publicRoutes.sort());
  });

  it('gives every operation an example of its answer', () => {
    expect(operations.filter(({ operation }) => !hasExample(operation)).map((entry) => entry.id)).toEqual([]);
  });

  it('gives every property of every request body an example', () => {
    const missing = operations.flatMap(({ id, operation }) =>
      Object.values(operation.requestBody?.content ?? {}).flatMap((body) =>
        propertiesWithoutExample(body.schema, id),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('shows the login example a reader would try', () => {
    const login = document.paths['/api/auth/login'].post;
    expect(login.responses['200'].content?.['application/json'].example).toMatchObject({
      email: 'student1@kubelab.local',
      role: 'student',
    });
    expect(login.responses['429']).toBeDefined();
    expect(resolve(login.requestBody?.content['application/json'].schema)?.properties?.password.example).toBe(
      'kubelab-demo',
    );
  });
});
