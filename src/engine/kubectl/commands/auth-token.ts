/**
 * `kubectl auth whoami` (a SelfSubjectReview of minikube's user) and `kubectl create token SA` (a TokenRequest the
 * API server answers: server/token-request.ts).
 */
import type { ResourceInfo } from '../../api/resources';
import { isStatusError } from '../../api/status-error';
import type { KubeObject } from '../../api/types';
import { MINIKUBE_USER } from '../../server/rbac';
import { issueToken, type TokenRequest } from '../../server/token-request';
import { CommandDef, flag, namespaceFlag } from '../command';
import { CommandError, UsageError } from '../context';
import { parseOutputFormat, printObjects } from '../output';
import { alignTabs, GET_TABLE_OPTIONS } from '../printers/tabwriter';
import { parseGoDuration } from './rollout-status';

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
    // `--as` makes the review answer for the impersonated user, as the API server's does.
    const user = ctx.user ?? MINIKUBE_USER;
    if (!format) {
      const rows = ['ATTRIBUTE\tVALUE', `Username\t${user.name}`, `Groups\t[${user.groups.join(' ')}]`];
      ctx.stdout(alignTabs(rows.join('\n') + '\n', GET_TABLE_OPTIONS));
      return 0;
    }
    const review = {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: user.name, groups: [...user.groups] } },
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
    const uid = args.flags['bound-object-uid'] as string;
    let request: TokenRequest;
    try {
      request = issueToken(ctx.cluster.api, ctx.cluster.clock.now(), namespaceFlag(args), name, {
        audiences: args.flags.audience as string[],
        // kubectl sends no lifetime for 0s: the API server's default applies.
        expirationSeconds: ms === 0 ? null : ms / 1000,
        boundObjectRef: kind ? { kind, apiVersion: 'v1', name: boundName, ...(uid ? { uid } : {}) } : null,
      });
    } catch (error) {
      if (isStatusError(error)) throw new CommandError(`failed to create token: ${error.message}`);
      throw error;
    }
    if (!format) {
      ctx.stdout(request.status.token + '\n');
      return 0;
    }
    const info = { kind: 'TokenRequest', group: 'authentication.k8s.io' } as ResourceInfo;
    ctx.stdout(printObjects([request as unknown as KubeObject], format, true, () => info, true));
    return 0;
  },
};
