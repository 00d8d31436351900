/**
 * Issue 14 (course part 2): `kubectl run` (--restart, --rm, --env, --labels, --port, --expose, --command and
 * `--` args), `logs` (-l, --since, --tail, --timestamps, --previous, -c, --all-containers, --prefix,
 * --max-log-requests) and `set env` (--from, --list, -e) judged by real kubectl: corpus/issue14.lines through real
 * kubectl against `engine serve --clock=manual` and through the built-in terminal on a twin cluster.
 */
import { describeCorpus } from './corpus-suite';

describeCorpus('conformance: real kubectl judges run, logs and set env', 'issue14.lines');
