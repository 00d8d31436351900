/**
 * The create generators' flags that read files of the home: `--from-file=[key=]source` (a file, or a folder's
 * files), `--from-env-file` (KEY=VALUE lines) and `secret tls --cert/--key`, with kubectl v1.30's parsing and
 * error texts (checked against the binary: `error reading nope: no such file or directory`, `cannot give a key name
 * for a directory path`, `env config file cannot be a directory`, ...).
 */
import { X509Certificate, createPrivateKey, KeyObject } from 'node:crypto';
import { HomeError } from '../../terminal/home/home-directory';
import { CommandError, KubectlContext } from '../context';

/** kubectl's parseFileSource: `key=path` or `path` (the key is the path's last element). */
function parseFileSource(source: string): { key: string; path: string } {
  const separators = source.split('=').length - 1;
  if (separators === 0) return { key: source.replace(/\/+$/, '').split('/').pop() || source, path: source };
  if (separators === 1 && source.startsWith('='))
    throw new CommandError(`key name for file path ${source.slice(1)} missing`);
  if (separators === 1 && source.endsWith('='))
    throw new CommandError(`file path for key name ${source.slice(0, -1)} missing`);
  if (separators > 1) throw new CommandError("key names or file paths cannot contain '='");
  const [key, path] = source.split('=');
  return { key, path };
}

/** What a path of the home is, with kubectl's "no such file" wording (Go's syscall text) when it is not there. */
function statPath(ctx: KubectlContext, path: string): 'file' | 'dir' {
  try {
    const { entry } = ctx.files.locate(path);
    if (entry) return entry.kind;
  } catch (error) {
    if (!(error instanceof HomeError)) throw error;
    if (error.code === 'OUTSIDE') throw new CommandError(`error reading ${path}: ${error.message}`);
  }
  throw new CommandError(`error reading ${path}: no such file or directory`);
}

/** The key/text pairs of `--from-file` sources in order: a folder gives each file directly inside it. */
export function fromFileSources(ctx: KubectlContext, sources: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (const source of sources) {
    const { key, path } = parseFileSource(source);
    if (statPath(ctx, path) === 'file') {
      pairs.push([key, ctx.files.readFile(path)]);
      continue;
    }
    if (source.includes('=')) throw new CommandError('cannot give a key name for a directory path');
    const { key: dirKey } = ctx.files.locate(path);
    for (const name of ctx.files.home.list(dirKey)) {
      const entry = ctx.files.home.stat(dirKey === '' ? name : `${dirKey}/${name}`);
      if (entry?.kind === 'file') pairs.push([name, entry.text]);
    }
  }
  return pairs;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ENV_NAME_MSG =
  "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

/**
 * kubectl's AddFromEnvFile: each line without its leading blanks, comments and blank lines skipped, `KEY=VALUE`
 * (the value kept as written); a KEY alone takes kubectl's environment, which is empty in the lab.
 */
export function fromEnvFile(ctx: KubectlContext, path: string): [string, string][] {
  if (statPath(ctx, path) === 'dir') throw new CommandError('env config file cannot be a directory');
  const pairs: [string, string][] = [];
  const lines = ctx.files
    .readFile(path)
    .replace(/^\uFEFF/, '')
    .split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const raw of lines) {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (!ENV_NAME.test(key))
      throw new CommandError(`${JSON.stringify(key)} is not a valid key name: ${ENV_NAME_MSG}`);
    pairs.push([key, eq < 0 ? '' : line.slice(eq + 1)]);
  }
  return pairs;
}

/** `--cert` and `--key` of `create secret tls`: read, then checked as Go's tls.X509KeyPair checks them. */
export function readKeyPair(
  ctx: KubectlContext,
  certPath: string,
  keyPath: string,
): { cert: string; key: string } {
  const read = (path: string) => {
    try {
      return ctx.files.readFile(path);
    } catch (error) {
      if (!(error instanceof HomeError)) throw error;
      const why =
        error.code === 'EISDIR'
          ? `read ${path}: is a directory`
          : error.code === 'OUTSIDE'
            ? error.message
            : `open ${path}: no such file or directory`;
      throw new CommandError(`Cannot read file ${path}, ${why}`);
    }
  };
  const cert = read(certPath);
  const key = read(keyPath);
  if (!/-----BEGIN [A-Z ]*CERTIFICATE-----/.test(cert))
    throw new CommandError('tls: failed to find any PEM data in certificate input');
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key))
    throw new CommandError('tls: failed to find any PEM data in key input');
  let certificate: X509Certificate;
  let privateKey: KeyObject;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    throw new CommandError('tls: failed to parse certificate');
  }
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new CommandError('tls: failed to parse private key');
  }
  if (!certificate.checkPrivateKey(privateKey))
    throw new CommandError('tls: private key does not match public key');
  return { cert, key };
}
