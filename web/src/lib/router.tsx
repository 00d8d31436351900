import { AnchorHTMLAttributes, MouseEvent, useEffect, useState } from 'react';

/**
 * A small history-API router: the app has a handful of screens, so a path matcher is all it needs.
 * The API serves index.html for every non-API path, so deep links and reloads work.
 */
export type Route =
  | { name: 'login' }
  | { name: 'register'; joinCode?: string }
  | { name: 'home' }
  | { name: 'lab'; courseId: string; labId: string }
  | { name: 'teach'; courseId?: string; labId?: string }
  | { name: 'replay'; courseId: string; labSessionId: string }
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
  if (parts[0] === 'teach' && parts[2] === 'sessions' && parts.length === 4)
    return { name: 'replay', courseId: parts[1], labSessionId: parts[3] };
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
    case 'not-found':
      return '/';
  }
}

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = hrefFor(route);
  if (href === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  listeners.forEach((listener) => listener());
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const read = () => parseRoute(window.location.pathname, window.location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const update = () => setRoute(read());
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return route;
}

/** A real link (middle-click and copy work) that navigates in place on a plain click. */
export function Link({ to, ...props }: { to: Route } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    props.onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(to);
  };
  return <a {...props} href={hrefFor(to)} onClick={onClick} />;
}
