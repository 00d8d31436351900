/**
 * The lab terminal has no file system. `kubectl apply -f` and `cat` read from this small virtual home directory,
 * which offers example manifests students can apply (the lab's deployment and service).
 */
export const HOME = '/home/student';

export class VirtualFiles {
  private readonly files = new Map<string, string>();

  constructor(initial: Record<string, string> = EXAMPLE_MANIFESTS) {
    for (const [name, text] of Object.entries(initial)) this.files.set(name, text);
  }

  names(): string[] {
    return [...this.files.keys()].sort();
  }

  /** The file's text for `name`, `./name`, `~/name` or `/home/student/name`; undefined if there is no such file. */
  read(path: string): string | undefined {
    return this.files.get(this.resolve(path) ?? '');
  }

  private resolve(path: string): string | undefined {
    for (const prefix of ['./', '~/', `${HOME}/`])
      if (path.startsWith(prefix)) return this.resolve(path.slice(prefix.length));
    return path.includes('/') ? undefined : path;
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
