/**
 * The API server's serviceaccounts/token subresource (pkg/registry/core/serviceaccount/storage/token.go), for
 * `kubectl create token` in the terminal and POST .../serviceaccounts/NAME/token over HTTP alike: the account must
 * exist, the lifetime is checked (10 minutes to 2^32 seconds, one hour by default), the audiences default to the
 * API server's, a bound Pod or Secret must exist (a Pod must run as that account; a given uid must match). The answer
 * is the request with its name and namespace filled in and the token in its status; it is never stored, so its
 * creationTimestamp stays null.
 *
 * The token is JWT-shaped like the API server's: an RS256 header with a key id, the claims a v1.30 server puts in a
 * service account token (audience and issuer `https://kubernetes.default.svc.cluster.local`, iat/nbf/exp, the
 * `kubernetes.io` block with the namespace and the account's name and uid, `sub`), and a 256-byte signature that
 * is a SHA-256 stretch of the rest: it has the right shape but no key could verify it.
 */
import { createHash } from 'node:crypto';
import { badRequest, conflict, invalid } from '../api/status-error';
import type { KubeObject, Pod } from '../api/types';
import type { ApiServer } from './api-server';

export const TOKEN_ISSUER = 'https://kubernetes.default.svc.cluster.local';
const DEFAULT_EXPIRATION_SECONDS = 3600;
/** What the kubelet asks for a pod's token, and the year the API server then grants (--service-account-extend-token-expiration). */
const KUBELET_TOKEN_SECONDS = 3607;
const EXTENDED_EXPIRATION_SECONDS = 365 * 24 * 3600;

export interface BoundObjectReference {
  kind?: string;
  apiVersion?: string;
  name?: string;
  uid?: string;
}

export interface TokenRequestSpec {
  audiences?: string[] | null;
  expirationSeconds?: number | null;
  boundObjectRef?: BoundObjectReference | null;
}

/** The TokenRequest as the API server answers it (authentication.k8s.io/v1). */
export interface TokenRequest {
  kind: 'TokenRequest';
  apiVersion: 'authentication.k8s.io/v1';
  metadata: { name: string; namespace: string; creationTimestamp: null };
  spec: { audiences: string[]; expirationSeconds: number; boundObjectRef: BoundObjectReference | null };
  status: { token: string; expirationTimestamp: string };
}

/** Issues a token for ServiceAccount `namespace/name` at `nowMs`; throws the API server's StatusError. */
export function issueToken(
  api: ApiServer,
  nowMs: number,
  namespace: string,
  name: string,
  spec: TokenRequestSpec,
): TokenRequest {
  const account = api.get('serviceaccounts', namespace, name);
  const seconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  const tooShort = seconds < 600 && 'may not specify a duration less than 10 minutes';
  const tooLong = seconds > 2 ** 32 && 'may not specify a duration larger than 2^32 seconds';
  if (tooShort || tooLong)
    throw invalid('TokenRequest', 'authentication.k8s.io', name, [
      {
        field: 'spec.expirationSeconds',
        message: `Invalid value: ${seconds}: ${tooShort || tooLong}`,
      },
    ]);
  const ref = spec.boundObjectRef ?? null;
  if (ref) checkBoundObject(api, namespace, name, ref);
  const now = Math.floor(nowMs / 1000);
  const audiences = spec.audiences && spec.audiences.length > 0 ? [...spec.audiences] : [TOKEN_ISSUER];
  const token = serviceAccountToken({
    aud: audiences,
    exp: now + seconds,
    iat: now,
    iss: TOKEN_ISSUER,
    namespace,
    name,
    uid: account.metadata.uid ?? '',
  });
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds: seconds, boundObjectRef: ref },
    status: {
      token,
      expirationTimestamp: new Date((now + seconds) * 1000).toISOString().replace('.000Z', 'Z'),
    },
  };
}

/** token.go: the bound object is looked up (NotFound as the API server's), its uid compared with a given one. */
function checkBoundObject(
  api: ApiServer,
  namespace: string,
  account: string,
  ref: BoundObjectReference,
): void {
  const core = (ref.apiVersion ?? '') === 'v1';
  let found: KubeObject;
  if (core && ref.kind === 'Pod') {
    const pod = api.get<Pod>('pods', namespace, ref.name ?? '');
    if ((pod.spec.serviceAccountName ?? 'default') !== account)
      throw badRequest(
        `cannot bind token for serviceaccount "${account}" to pod running with different serviceaccount name.`,
      );
    found = pod;
  } else if (core && ref.kind === 'Secret') {
    found = api.get('secrets', namespace, ref.name ?? '');
  } else {
    throw badRequest(`cannot bind token to object of type ${ref.apiVersion ?? ''}, Kind=${ref.kind ?? ''}`);
  }
  if (ref.uid && ref.uid !== found.metadata.uid)
    throw conflict(
      ref.kind ?? '',
      '',
      ref.name ?? '',
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
}

export interface TokenClaims {
  aud: string[];
  exp: number;
  iat: number;
  iss: string;
  namespace: string;
  name: string;
  uid: string;
  /** A token bound to a pod (the kubelet's projected token) names the pod and its node (v1.30's PodNodeInfo). */
  pod?: { name: string; uid: string };
  node?: { name: string; uid: string };
  /** With the API server's extended expiration: when the kubelet's requested lifetime would have ended. */
  warnafter?: number;
}

/**
 * The token a pod's `kube-api-access-*` volume holds (the kubelet's TokenRequest of 3607 s, bound to the pod): the API
 * server extends such a request to a year and records the requested end as `warnafter`.
 */
export function podServiceAccountToken(options: {
  issuedAt: number;
  namespace: string;
  account: { name: string; uid: string };
  pod: { name: string; uid: string };
  node?: { name: string; uid: string };
}): string {
  const iat = Math.floor(options.issuedAt / 1000);
  return serviceAccountToken({
    aud: [TOKEN_ISSUER],
    exp: iat + EXTENDED_EXPIRATION_SECONDS,
    iat,
    iss: TOKEN_ISSUER,
    namespace: options.namespace,
    name: options.account.name,
    uid: options.account.uid,
    pod: options.pod,
    node: options.node,
    warnafter: iat + KUBELET_TOKEN_SECONDS,
  });
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
        jti: jwtId(claims),
        // The signer merges the claim structs into maps, so every level is in key order.
        'kubernetes.io': {
          namespace: claims.namespace,
          ...(claims.node ? { node: claims.node } : {}),
          ...(claims.pod ? { pod: claims.pod } : {}),
          serviceaccount: { name: claims.name, uid: claims.uid },
          ...(claims.warnafter !== undefined ? { warnafter: claims.warnafter } : {}),
        },
        nbf: claims.iat,
        sub: `system:serviceaccount:${claims.namespace}:${claims.name}`,
      }),
    ),
  );
  const blocks = Array.from({ length: 8 }, (_, i) => sha256(`${i}.${header}.${payload}`));
  return `${header}.${payload}.${base64url(Buffer.concat(blocks))}`;
}

/** v1.30 gives every token a random UUID `jti`; here it is derived from the claims so transcripts stay repeatable. */
function jwtId(claims: TokenClaims): string {
  const hex = sha256(`jti:${JSON.stringify(claims)}`).toString('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function base64url(bytes: Buffer): string {
  return bytes.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
