/**
 * `kubectl auth whoami` (a SelfSubjectReview of minikube's user) and `kubectl create token SA` (a TokenRequest).
 * The token is JWT-shaped like the API server's: an RS256 header with a key id, the claims a v1.30 server puts in a
 * service account token (audience and issuer `https://kubernetes.default.svc.cluster.local`, iat/nbf/exp, the
 * `kubernetes.io` block with the namespace and the account's name and uid, `sub`), and a 256-byte signature that
 * is a SHA-256 stretch of the rest: it has the right shape but no key could verify it.
 */
import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../../api/resources';
import { isStatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import { MINIKUBE_USER } from '../../server/rbac';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, UsageError } from '../context';
import { parseOutputFormat, printObjects } from '../output';
import { alignTabs, GET_TABLE_OPTIONS } from '../printers/tabwriter';
import { parseGoDuration } from './rollout-status';

const ISSUER = 'https://kubernetes.default.svc.cluster.local';
const DEFAULT_EXPIRATION_SECONDS = 3600;

const TEMPLATE_FLAG = flag.string(
  'template',
  undefined,
  '',
  'Template string or path to template file to use when -o=go-template, -o=go-template-file.',
);

export const authWhoamiCommand: CommandDef = {
  path: ['auth', 'whoami'],
  short: 'Experimental: Check self subject attributes',
  usage: 'kubectl auth whoami [options]',
  flags: [flag.output(), TEMPLATE_FLAG],
  run(ctx, args) {
    const output = args.flags.output as string;
    const format = output ? parseOutputFormat(output, false, args.flags.template as string) : undefined;
    if (!format) {
      const rows = [
        'ATTRIBUTE\tVALUE',
        `Username\t${MINIKUBE_USER.name}`,
        `Groups\t[${MINIKUBE_USER.groups.join(' ')}]`,
      ];
      ctx.stdout(alignTabs(rows.join('\n') + '\n', GET_TABLE_OPTIONS));
      return 0;
    }
    const review = {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: MINIKUBE_USER.name, groups: [...MINIKUBE_USER.groups] } },
    } as unknown as KubeObject;
    const info = { kind: 'SelfSubjectReview', group: 'authentication.k8s.io' } as ResourceInfo;
    // The Go struct's field order: kind, apiVersion, metadata, status.
    if (format.kind === 'json') ctx.stdout(JSON.stringify(review, null, 4) + '\n');
    else ctx.stdout(printObjects([review], format, true, () => info, true));
    return 0;
  },
};

export const createTokenCommand: CommandDef = {
  path: ['create', 'token'],
  short: 'Request a service account token',
  usage: 'kubectl create token SERVICE_ACCOUNT_NAME [options]',
  flags: [
    flag.output(),
    TEMPLATE_FLAG,
    { name: 'audience', type: 'stringArray', default: [], description: 'Audience of the requested token.' },
    flag.string('bound-object-kind', undefined, '', 'Kind of an object to bind the token to.'),
    flag.string('bound-object-name', undefined, '', 'Name of an object to bind the token to.'),
    flag.string('bound-object-uid', undefined, '', 'UID of an object to bind the token to.'),
    {
      name: 'duration',
      type: 'duration',
      default: '0s',
      description: 'Requested lifetime of the issued token.',
    },
  ],
  run(ctx, args) {
    if (args.positional.length !== 1)
      throw new UsageError(`exactly one NAME is required, got ${args.positional.length}`);
    const [name] = args.positional;
    const kind = args.flags['bound-object-kind'] as string;
    const boundName = args.flags['bound-object-name'] as string;
    if (kind && kind !== 'Pod' && kind !== 'Secret')
      throw new CommandError('supported --bound-object-kind values are Pod, Secret');
    if (!kind && boundName)
      throw new CommandError('--bound-object-name can only be set if --bound-object-kind is provided');
    if (!kind && args.flags['bound-object-uid'])
      throw new CommandError('--bound-object-uid can only be set if --bound-object-kind is provided');
    if (kind && !boundName)
      throw new CommandError('--bound-object-name is required if --bound-object-kind is provided');
    const duration = args.flags.duration as string;
    if (duration.startsWith('-') && parseGoDuration(duration.slice(1)) > 0)
      throw new CommandError('--duration must be greater than or equal to 0');
    const ms = duration.startsWith('-') ? 0 : parseGoDuration(duration.replace(/^\+/, ''));
    if (ms % 1000 !== 0) throw new CommandError('--duration cannot be expressed in units less than seconds');
    const output = args.flags.output as string;
    const format = output ? parseOutputFormat(output, false, args.flags.template as string) : undefined;
    const namespace = namespaceFlag(args);
    let account: KubeObject;
    try {
      account = ctx.cluster.api.get('serviceaccounts', namespace, name);
    } catch (error) {
      if (isStatusError(error)) throw new CommandError(`failed to create token: ${error.message}`);
      throw error;
    }
    const seconds = ms === 0 ? DEFAULT_EXPIRATION_SECONDS : ms / 1000;
    if (seconds < 600)
      throw new CommandError(
        `failed to create token: TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration less than 10 minutes`,
      );
    if (seconds > 2 ** 32)
      throw new CommandError(
        `failed to create token: TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${seconds}: may not specify a duration larger than 2^32 seconds`,
      );
    const now = Math.floor(ctx.cluster.clock.now() / 1000);
    const audiences = args.flags.audience as string[];
    const token = serviceAccountToken({
      aud: audiences.length > 0 ? audiences : [ISSUER],
      exp: now + seconds,
      iat: now,
      iss: ISSUER,
      namespace,
      name,
      uid: account.metadata.uid ?? '',
    });
    if (!format) {
      ctx.stdout(token + '\n');
      return 0;
    }
    const request = {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: null },
      spec: {
        audiences: audiences.length > 0 ? audiences : [ISSUER],
        expirationSeconds: seconds,
        boundObjectRef: null,
      },
      status: {
        token,
        expirationTimestamp: new Date((now + seconds) * 1000).toISOString().replace('.000Z', 'Z'),
      },
    } as unknown as KubeObject;
    const info = { kind: 'TokenRequest', group: 'authentication.k8s.io' } as ResourceInfo;
    ctx.stdout(printObjects([request], format, true, () => info, true));
    return 0;
  },
};

interface TokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  namespace: string;
  name: string;
  uid: string;
}

/** A JWT of the API server's shape; the key id and signature are derived from the claims (deterministic). */
export function serviceAccountToken(claims: TokenClaims): string {
  const kid = base64url(sha256(`kid:${claims.iss}`)).slice(0, 43);
  const header = base64url(Buffer.from(JSON.stringify({ alg: 'RS256', kid })));
  const payload = base64url(
    Buffer.from(
      JSON.stringify({
        aud: claims.aud,
        exp: claims.exp,
        iat: claims.iat,
        iss: claims.iss,
        'kubernetes.io': {
          namespace: claims.namespace,
          serviceaccount: { name: claims.name, uid: claims.uid },
        },
        nbf: claims.iat,
        sub: `system:serviceaccount:${claims.namespace}:${claims.name}`,
      }),
    ),
  );
  const blocks = Array.from({ length: 8 }, (_, i) => sha256(`${i}.${header}.${payload}`));
  return `${header}.${payload}.${base64url(Buffer.concat(blocks))}`;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
