/**
 * What kubectl reads files through: the student's home directory (terminal/home), seen from the shell's working
 * directory. `-f FILE|DIR`, `--from-file`, `--from-env-file`, `--cert`/`--key` and `-o custom-columns-file` all
 * resolve here, so no flag can read outside /home/student. The example manifests below are the home's starter
 * files until labs ship their own.
 */
import { HOME, HomeDirectory, HomeEntry, HomeError } from '../terminal/home/home-directory';

export { HOME };

/** The extensions kubectl's file visitor takes from a folder (a file named on its own is read whatever its name). */
const MANIFEST_EXTENSIONS = ['.json', '.yaml', '.yml'];

export class VirtualFiles {
  readonly home: HomeDirectory;

  /** `home` defaults to a home holding the example manifests; `cwd` gives the shell's working directory. */
  constructor(
    home: HomeDirectory | Record<string, string> = EXAMPLE_MANIFESTS,
    private readonly cwd: () => string = () => '',
  ) {
    this.home = home instanceof HomeDirectory ? home : new HomeDirectory(undefined, home);
  }

  names(): string[] {
    return this.home.list('');
  }

  /** The file's text, or undefined when `path` is not a readable file of the home. */
  read(path: string): string | undefined {
    try {
      return this.home.readFile(path, this.cwd());
    } catch (error) {
      if (error instanceof HomeError) return undefined;
      throw error;
    }
  }

  /** The key of the home `path` names from the working directory (its parents unchecked); throws OUTSIDE. */
  key(path: string): string {
    return this.home.resolve(path, this.cwd()).key;
  }

  /** The key and entry `path` names from the working directory (entry undefined if none); throws a HomeError. */
  locate(path: string): { key: string; entry: HomeEntry | undefined } {
    const { key } = this.home.resolve(path, this.cwd());
    this.home.checkParents(key);
    return { key, entry: this.home.stat(key) };
  }

  /** The file's text; throws the HomeError saying why it cannot be read (ENOENT, EISDIR, OUTSIDE...). */
  readFile(path: string): string {
    return this.home.readFile(path, this.cwd());
  }

  /**
   * The manifests a `-f PATH` names, as kubectl's file visitors find them: the file itself, or a folder's `.json`,
   * `.yaml` and `.yml` files in name order (its subfolders too with `-R`), each named as kubectl names it in
   * messages (`dir/web.yaml`). Undefined when the path does not exist; throws OUTSIDE for a path outside the home.
   */
  manifestSources(path: string, recursive: boolean): { source: string; text: string }[] | undefined {
    const { key } = this.home.resolve(path, this.cwd());
    try {
      this.home.checkParents(key);
    } catch {
      return undefined;
    }
    const entry = this.home.stat(key);
    if (!entry) return undefined;
    if (entry.kind === 'file') return [{ source: path, text: entry.text }];
    const root = path.replace(/\/+$/, '') || '/';
    const out: { source: string; text: string }[] = [];
    const walk = (dirKey: string, shown: string) => {
      for (const name of this.home.list(dirKey)) {
        const childKey = dirKey === '' ? name : `${dirKey}/${name}`;
        const child = this.home.stat(childKey);
        const childShown = shown === '/' ? `/${name}` : `${shown}/${name}`;
        if (child?.kind === 'dir') {
          if (recursive) walk(childKey, childShown);
        } else if (child && MANIFEST_EXTENSIONS.some((ext) => name.endsWith(ext)))
          out.push({ source: childShown, text: child.text });
      }
    };
    walk(key, root);
    return out;
  }
}

const DEPLOYMENT_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubernetes-bootcamp
  labels:
    app: kubernetes-bootcamp
spec:
  replicas: 2
  selector:
    matchLabels:
      app: kubernetes-bootcamp
  template:
    metadata:
      labels:
        app: kubernetes-bootcamp
    spec:
      containers:
      - name: kubernetes-bootcamp
        image: gcr.io/google-samples/kubernetes-bootcamp:v1
        ports:
        - containerPort: 8080
`;

const SERVICE_YAML = `apiVersion: v1
kind: Service
metadata:
  name: kubernetes-bootcamp
  labels:
    app: kubernetes-bootcamp
spec:
  type: NodePort
  selector:
    app: kubernetes-bootcamp
  ports:
  - port: 8080
    targetPort: 8080
    protocol: TCP
`;

const POD_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: bootcamp-pod
  labels:
    app: bootcamp-pod
spec:
  containers:
  - name: kubernetes-bootcamp
    image: gcr.io/google-samples/kubernetes-bootcamp:v1
    ports:
    - containerPort: 8080
`;

export const EXAMPLE_MANIFESTS: Record<string, string> = {
  'deployment.yaml': DEPLOYMENT_YAML,
  'service.yaml': SERVICE_YAML,
  'pod.yaml': POD_YAML,
};
