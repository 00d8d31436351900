/**
 * The app's screens and their URLs, both ways. The API serves index.html for every non-API path, so
 * deep links and reloads land on the right screen.
 */
export type Route =
  | { name: 'login' }
  | { name: 'register'; joinCode?: string }
  | { name: 'home' }
  | { name: 'lab'; courseId: string; labId: string }
  | { name: 'teach'; courseId?: string; labId?: string }
  | { name: 'replay'; courseId: string; labSessionId: string }
  | { name: 'live'; courseId: string; labSessionId: string }
  | { name: 'authoring'; courseId?: string }
  | { name: 'draft'; draftId: string }
  | { name: 'not-found' };

export function parseRoute(pathname: string, search: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(search);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'login' && parts.length === 1) return { name: 'login' };
  if (parts[0] === 'register' && parts.length === 1)
    return { name: 'register', joinCode: query.get('code') ?? undefined };
  if (parts[0] === 'courses' && parts[2] === 'labs' && parts.length === 4)
    return { name: 'lab', courseId: parts[1], labId: parts[3] };
  if (parts[0] === 'teach' && parts.length <= 2)
    return { name: 'teach', courseId: parts[1], labId: query.get('lab') ?? undefined };
  if (parts[0] === 'courses' && parts[2] === 'authoring' && parts.length === 3)
    return { name: 'authoring', courseId: parts[1] };
  if (parts[0] === 'authoring' && parts.length === 1) return { name: 'authoring' };
  if (parts[0] === 'authoring' && parts[1] === 'drafts' && parts.length === 3)
    return { name: 'draft', draftId: parts[2] };
  if (parts[0] === 'teach' && parts[2] === 'sessions' && parts.length === 4)
    return { name: 'replay', courseId: parts[1], labSessionId: parts[3] };
  if (parts[0] === 'teach' && parts[2] === 'sessions' && parts[4] === 'live' && parts.length === 5)
    return { name: 'live', courseId: parts[1], labSessionId: parts[3] };
  return { name: 'not-found' };
}

export function hrefFor(route: Route): string {
  const e = encodeURIComponent;
  switch (route.name) {
    case 'login':
      return '/login';
    case 'register':
      return route.joinCode ? `/register?code=${e(route.joinCode)}` : '/register';
    case 'home':
      return '/';
    case 'lab':
      return `/courses/${e(route.courseId)}/labs/${e(route.labId)}`;
    case 'teach':
      return route.courseId
        ? `/teach/${e(route.courseId)}${route.labId ? `?lab=${e(route.labId)}` : ''}`
        : '/teach';
    case 'replay':
      return `/teach/${e(route.courseId)}/sessions/${e(route.labSessionId)}`;
    case 'live':
      return `/teach/${e(route.courseId)}/sessions/${e(route.labSessionId)}/live`;
    case 'authoring':
      return route.courseId ? `/courses/${e(route.courseId)}/authoring` : '/authoring';
    case 'draft':
      return `/authoring/drafts/${e(route.draftId)}`;
    case 'not-found':
      return '/';
  }
}
