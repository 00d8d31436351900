/**
 * How the ingress add-on's nginx picks a backend for a request (ingress-nginx's rules): the Ingresses it serves
 * (class `nginx` or none), the rule whose host equals the request's Host (without port; rules without a host
 * catch every host), then the longest matching path — Exact paths equal, Prefix paths match whole `/` elements,
 * ImplementationSpecific like Prefix — else the Ingress's default backend. Nothing matches: nginx's own 404 page.
 */
import type { HTTPIngressPath, Ingress, IngressServiceBackend } from '../api/network-types';
import { servedByNginx } from '../controllers/ingress-nginx';

export function nginxErrorPage(status: 308 | 404 | 503): string {
  const title =
    status === 308
      ? '308 Permanent Redirect'
      : status === 404
        ? '404 Not Found'
        : '503 Service Temporarily Unavailable';
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function pathMatches(rule: HTTPIngressPath, requestPath: string): boolean {
  const path = rule.path ?? '/';
  if (rule.pathType === 'Exact') return requestPath === path;
  if (path === '/') return true;
  const trimmed = path.replace(/\/+$/, '');
  return requestPath === trimmed || requestPath.startsWith(`${trimmed}/`);
}

export interface IngressRoute {
  namespace: string;
  backend: IngressServiceBackend;
}

/** The backend for `Host: host` and `path`, or undefined (nginx answers 404). */
export function routeIngress(
  ingresses: Ingress[],
  host: string,
  requestPath: string,
): IngressRoute | undefined {
  const bareHost = host.replace(/:\d+$/, '').toLowerCase();
  const path = requestPath.split('?')[0] || '/';
  const served = ingresses.filter((i) => servedByNginx(i) && !i.metadata.deletionTimestamp);
  let best: { length: number; route: IngressRoute } | undefined;
  for (const exactHost of [true, false]) {
    for (const ing of served) {
      for (const rule of ing.spec.rules ?? []) {
        const ruleHost = (rule.host ?? '').toLowerCase();
        if (exactHost ? ruleHost !== bareHost : ruleHost !== '') continue;
        for (const p of rule.http?.paths ?? []) {
          if (!p.backend.service || !pathMatches(p, path)) continue;
          const length = (p.path ?? '/').length + (p.pathType === 'Exact' ? 0.5 : 0);
          if (!best || length > best.length)
            best = {
              length,
              route: { namespace: ing.metadata.namespace ?? 'default', backend: p.backend.service },
            };
        }
      }
    }
    if (best) return best.route;
  }
  for (const ing of served) {
    const def = ing.spec.defaultBackend?.service;
    if (def) return { namespace: ing.metadata.namespace ?? 'default', backend: def };
  }
  return undefined;
}
