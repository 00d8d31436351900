import { navigate } from '../lib/router';
import { parseRoute } from '../lib/routes';

const RETURN_TO = 'kubelab.returnTo';

/** Remembers the page a signed-out visitor asked for, to open it after signing in. */
export function rememberReturnTo(): void {
  sessionStorage.setItem(RETURN_TO, window.location.pathname + window.location.search);
}

/** Where to go after signing in: the page that asked for it, else the course list. */
export function afterSignIn(): void {
  const target = sessionStorage.getItem(RETURN_TO);
  sessionStorage.removeItem(RETURN_TO);
  const url = target ? new URL(target, window.location.origin) : undefined;
  const route = url ? parseRoute(url.pathname, url.search) : undefined;
  navigate(route && route.name !== 'login' && route.name !== 'register' ? route : { name: 'home' }, {
    replace: true,
  });
}
