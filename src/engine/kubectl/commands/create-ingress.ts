/**
 * `kubectl create ingress`: kubectl v1.30's generator (cmd/create/create_ingress.go) — its rule syntax
 * `host/path=svc:port[,tls[=secret]]`, rules of one host merged, TLS entries grouped by secret, `*` at the end
 * of a path meaning pathType Prefix — with its flag checks and error texts.
 */
import type {
  HTTPIngressPath,
  Ingress,
  IngressBackend,
  IngressRule,
  IngressTLS,
} from '../../api/network-types';
import { StatusError } from '../../api/status-error';
import type { FlagSpec } from '../argv';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, UsageError } from '../context';
import { createAndPrint, DRY_RUN_FLAG } from './create-output';

/** The rule check kubectl runs: anchored at the start only, so anything may follow the port. */
const RULE = /^(?<host>[\w*\-.]*)(?<path>\/.*)=(?<service>[\w-]+):(?<port>[\w-]+)/i;

const stringArray = (name: string, description: string): FlagSpec => ({
  name,
  type: 'stringArray',
  default: [],
  description,
});

/** `svc:port`: a number (0 leaves the port empty, as Go's omitempty does) or a port name. */
function serviceBackend(text: string, rule: string): IngressBackend {
  const [name, port] = text.split(',')[0].split(':');
  if (port === undefined)
    throw new CommandError(
      `rule ${rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`,
    );
  const number = /^[+-]?\d+$/.test(port) ? Number(port) : undefined;
  return {
    service: {
      name,
      port: number === undefined ? { name: port } : number !== 0 ? { number } : {},
    },
  };
}

function httpPath(pathPart: string, rule: string): HTTPIngressPath {
  const [beforeEquals, backend] = pathPart.split('=');
  let path = `/${beforeEquals}`;
  let pathType: HTTPIngressPath['pathType'] = 'Exact';
  if (path.endsWith('*')) {
    pathType = 'Prefix';
    path = path.slice(0, -1);
  }
  return { backend: serviceBackend(backend, rule), path, pathType };
}

export function ingressRules(rules: string[]): IngressRule[] {
  const out: IngressRule[] = [];
  for (const rule of rules) {
    const withoutTls = rule.split(',')[0];
    const slash = withoutTls.indexOf('/');
    const host = withoutTls.slice(0, slash);
    const path = httpPath(withoutTls.slice(slash + 1), rule);
    const existing = out.find((r) => (r.host ?? '') === host);
    if (existing) existing.http!.paths.push(path);
    else out.push({ ...(host ? { host } : {}), http: { paths: [path] } });
  }
  return out;
}

/** One entry per secret (in first-use order) listing its hosts; a host goes to the first secret it names. */
export function ingressTls(rules: string[]): IngressTLS[] {
  const out: IngressTLS[] = [];
  const seen = new Set<string>();
  for (const rule of rules) {
    const parts = rule.split(',');
    if (parts.length === 1) continue;
    const host = parts[0].split('/')[0];
    const secret = parts[1].length > 3 ? (parts[1].split('=')[1] ?? '') : '';
    if (host === '' || seen.has(host)) continue;
    seen.add(host);
    const entry = out.find((t) => (t.secretName ?? '') === secret);
    if (entry) entry.hosts!.push(host);
    else out.push({ hosts: [host], ...(secret ? { secretName: secret } : {}) });
  }
  return out;
}

export const createIngressCommand: CommandDef = {
  path: ['create', 'ingress'],
  aliases: ['ing'],
  short: 'Create an ingress with the specified name',
  usage: 'kubectl create ingress NAME --rule=host/path=service:port[,tls[=secret]] ',
  flags: [
    stringArray('annotation', 'Annotation to insert in the ingress object, in the format annotation=value'),
    flag.string('class', undefined, '', 'Ingress Class to be used'),
    flag.string('default-backend', undefined, '', 'Default service for backend, in format of svcname:port'),
    stringArray(
      'rule',
      "Rule in format host/path=service:port[,tls=secretname]. Paths containing the leading character '*' are considered pathType=Prefix. tls argument is optional.",
    ),
    flag.output(),
    DRY_RUN_FLAG,
  ],
  run(ctx, args) {
    if (args.positional.length !== 1)
      throw new UsageError(`exactly one NAME is required, got ${args.positional.length}`);
    const name = args.positional[0];
    const rules = args.flags.rule as string[];
    const annotations = args.flags.annotation as string[];
    const defaultBackend = args.flags['default-backend'] as string;
    const className = args.flags.class as string;
    if (!defaultBackend && rules.length === 0)
      throw new CommandError(
        'not enough information provided: every ingress has to either specify a default-backend (which catches all traffic) or a list of rules (which catch specific paths)',
      );
    for (const rule of rules)
      if (!RULE.test(rule))
        throw new CommandError(
          `rule ${rule} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]`,
        );
    for (const annotation of annotations)
      if (!annotation.includes('='))
        throw new CommandError(`annotation ${annotation} is invalid and should be in format key=[value]`);
    if (defaultBackend && defaultBackend.split(':').length !== 2)
      throw new CommandError('default-backend should be in format servicename:serviceport');

    const spec: Ingress['spec'] = {};
    if (className) spec.ingressClassName = className;
    if (defaultBackend) spec.defaultBackend = serviceBackend(defaultBackend, defaultBackend);
    const tls = ingressTls(rules);
    if (tls.length > 0) spec.tls = tls;
    const built = ingressRules(rules);
    if (built.length > 0) spec.rules = built;
    const metadata: Ingress['metadata'] = { name, namespace: namespaceFlag(args) };
    if (annotations.length > 0)
      metadata.annotations = Object.fromEntries(
        annotations.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]),
      );
    const ingress: Ingress = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata, spec };
    createAndPrint(ctx, args, ingress, 'created', (obj, opts) => {
      try {
        return ctx.cluster.api.create(obj, opts);
      } catch (error) {
        if (error instanceof StatusError)
          throw new CommandError(`failed to create ingress: ${error.message}`);
        throw error;
      }
    });
  },
};
