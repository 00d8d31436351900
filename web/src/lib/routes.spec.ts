import { hrefFor, parseRoute, Route } from './routes';

describe('routes', () => {
  const courseId = '6f1c2a9e-8a51-4a3c-9a8d-0d8e1f2a3b4c';
  const cases: [string, Route][] = [
    ['/', { name: 'home' }],
    ['/login', { name: 'login' }],
    ['/register?code=ABCD2345', { name: 'register', joinCode: 'ABCD2345' }],
    [`/courses/${courseId}/labs/lec7-k8s-basics`, { name: 'lab', courseId, labId: 'lec7-k8s-basics' }],
    ['/teach', { name: 'teach', courseId: undefined, labId: undefined }],
    [`/teach/${courseId}?lab=lec7-k8s-basics`, { name: 'teach', courseId, labId: 'lec7-k8s-basics' }],
    [`/teach/${courseId}/sessions/abc`, { name: 'replay', courseId, labSessionId: 'abc' }],
    [`/teach/${courseId}/sessions/abc/live`, { name: 'live', courseId, labSessionId: 'abc' }],
    ['/authoring', { name: 'authoring' }],
    [`/courses/${courseId}/authoring`, { name: 'authoring', courseId }],
    ['/authoring/drafts/d-1', { name: 'draft', draftId: 'd-1' }],
  ];

  it.each(cases)('reads %s and writes it back', (url, route) => {
    const parsed = new URL(url, 'http://kubelab.test');
    expect(parseRoute(parsed.pathname, parsed.search)).toEqual(route);
    expect(hrefFor(route)).toBe(url);
  });

  it('sends unknown paths to not-found and encodes ids', () => {
    expect(parseRoute('/courses/x', '')).toEqual({ name: 'not-found' });
    expect(parseRoute('/teach/a/b', '')).toEqual({ name: 'not-found' });
    expect(hrefFor({ name: 'lab', courseId: 'a/b', labId: 'c d' })).toBe('/courses/a%2Fb/labs/c%20d');
    expect(parseRoute('/courses/a%2Fb/labs/c%20d', '')).toEqual({
      name: 'lab',
      courseId: 'a/b',
      labId: 'c d',
    });
  });
});
