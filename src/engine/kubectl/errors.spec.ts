import { alreadyExists, invalid, notFound } from '../api/status-error';
import { FlagError } from './argv';
import { CommandError, UsageError } from './context';
import { formatError } from './errors';

const DNS1035 =
  "Invalid value: \"yanwei.app\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

describe('formatError (reference §1.7)', () => {
  it('prints API status errors with their reason', () => {
    expect(formatError(notFound('deployments', 'apps', 'kubernetes-bootcamp'), 'kubectl delete')).toEqual({
      text: 'Error from server (NotFound): deployments.apps "kubernetes-bootcamp" not found\n',
      exitCode: 1,
    });
    expect(formatError(alreadyExists('services', '', 'yanwei'), 'kubectl expose').text).toBe(
      'Error from server (AlreadyExists): services "yanwei" already exists\n',
    );
  });

  it('prints Invalid unwrapped: one cause on one line, several as a bullet list after a header ending in ": "', () => {
    const one = invalid('Service', '', 'yanwei.app', [{ field: 'metadata.name', message: DNS1035 }]);
    expect(formatError(one, 'kubectl expose').text).toBe(
      `The Service "yanwei.app" is invalid: metadata.name: ${DNS1035}\n`,
    );
    const two = invalid('Service', '', 'x', [
      { field: 'metadata.name', message: 'a' },
      { field: 'spec.type', message: 'b' },
    ]);
    expect(formatError(two, 'kubectl expose').text).toBe(
      'The Service "x" is invalid: \n* metadata.name: a\n* spec.type: b\n',
    );
  });

  it('prints flag, usage and plain errors with kubectl hints', () => {
    expect(formatError(new FlagError('unknown flag: --foo'), 'kubectl get').text).toBe(
      "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n",
    );
    expect(
      formatError(new UsageError('exactly one NAME is required, got 0'), 'kubectl create deployment').text,
    ).toBe(
      "error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n",
    );
    expect(
      formatError(new CommandError('required flag(s) "image" not set'), 'kubectl create deployment').text,
    ).toBe('error: required flag(s) "image" not set\n');
    expect(formatError(new CommandError('error: already prefixed'), 'kubectl').text).toBe(
      'error: already prefixed\n',
    );
  });
});
