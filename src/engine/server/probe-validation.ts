/**
 * Validation of a container's liveness, readiness and startup probes (core validation's validateLivenessProbe,
 * validateReadinessProbe, validateStartupProbe, validateProbe and validateHandler), after defaulting, in the
 * order the real server reports the causes.
 */
import type { StatusCause } from '../api/status-error';
import type { Container, Probe } from '../api/types';
import { invalidValue, isValidPortName, required, unsupported } from './validation';

const NEGATIVE = 'must be greater than or equal to 0';

/** ValidatePortNumOrName: a missing port is the integer 0. */
function validatePort(field: string, port: unknown): StatusCause[] {
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalidValue(field, port, m));
  const n = typeof port === 'number' ? port : 0;
  return n >= 1 && n <= 65535 ? [] : [invalidValue(field, n, 'must be between 1 and 65535, inclusive')];
}

function validateHandler(probe: Probe, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  let handlers = 0;
  const handler = (name: string, check: () => StatusCause[]) => {
    if (handlers > 0)
      causes.push({
        field: `${path}.${name}`,
        message: 'Forbidden: may not specify more than 1 handler type',
      });
    else {
      handlers++;
      causes.push(...check());
    }
  };
  if (probe.exec)
    handler('exec', () => (probe.exec!.command?.length ? [] : [required(`${path}.exec.command`)]));
  if (probe.httpGet) {
    const http = probe.httpGet;
    handler('httpGet', () => [
      ...(http.path ? [] : [required(`${path}.httpGet.path`)]),
      ...validatePort(`${path}.httpGet.port`, http.port),
      ...(http.scheme === 'HTTP' || http.scheme === 'HTTPS'
        ? []
        : [unsupported(`${path}.httpGet.scheme`, String(http.scheme ?? ''), ['HTTP', 'HTTPS'])]),
    ]);
  }
  if (probe.tcpSocket)
    handler('tcpSocket', () => validatePort(`${path}.tcpSocket.port`, probe.tcpSocket!.port));
  if (probe.grpc) handler('grpc', () => validatePort(`${path}.grpc.port`, probe.grpc!.port));
  if (handlers === 0) causes.push(required(path, 'must specify a handler type'));
  return causes;
}

function validateProbe(probe: Probe, path: string): StatusCause[] {
  const causes = validateHandler(probe, path);
  for (const key of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ] as const) {
    const value = probe[key] ?? 0;
    if (value < 0) causes.push(invalidValue(`${path}.${key}`, value, NEGATIVE));
  }
  const grace = probe.terminationGracePeriodSeconds;
  if (grace !== undefined && grace !== null && grace <= 0)
    causes.push(invalidValue(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than 0'));
  return causes;
}

/** The probes of one app container at `path` (e.g. `spec.containers[0]`). */
export function validateContainerProbes(c: Container, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const { livenessProbe: liveness, readinessProbe: readiness, startupProbe: startup } = c;
  if (liveness) {
    causes.push(...validateProbe(liveness, `${path}.livenessProbe`));
    if (liveness.successThreshold !== 1)
      causes.push(
        invalidValue(`${path}.livenessProbe.successThreshold`, liveness.successThreshold ?? 0, 'must be 1'),
      );
  }
  if (readiness) {
    causes.push(...validateProbe(readiness, `${path}.readinessProbe`));
    const grace = readiness.terminationGracePeriodSeconds;
    if (grace !== undefined && grace !== null)
      causes.push(
        invalidValue(
          `${path}.readinessProbe.terminationGracePeriodSeconds`,
          grace,
          'must not be set for readinessProbes',
        ),
      );
  }
  if (startup) {
    causes.push(...validateProbe(startup, `${path}.startupProbe`));
    if (startup.successThreshold !== 1)
      causes.push(
        invalidValue(`${path}.startupProbe.successThreshold`, startup.successThreshold ?? 0, 'must be 1'),
      );
  }
  return causes;
}

/** Init containers run to completion: probes are only allowed on sidecars (an init container restarted Always). */
export function validateInitContainerProbes(
  path: string,
  containers: Container[] | undefined,
): StatusCause[] {
  const causes: StatusCause[] = [];
  (containers ?? []).forEach((c, i) => {
    if (c.restartPolicy === 'Always') return;
    for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const)
      if (c[key])
        causes.push({
          field: `${path}[${i}].${key}`,
          message: 'Forbidden: may not be set for init containers without restartPolicy=Always',
        });
  });
  return causes;
}
