import { editorTarget, isComplete, LineShape, lineShape } from './line-shape';

const foreground = (text: string, lasting = false): LineShape => ({ kind: 'foreground', text, lasting });
const interactive = (text: string, inputPrompt = ''): LineShape => ({
  kind: 'interactive',
  text,
  inputPrompt,
});

describe('editorTarget', () => {
  it.each([
    ['vim web.yaml', 'web.yaml'],
    ['vi ~/manifests/web.yaml', '~/manifests/web.yaml'],
    ['nano +3 "my file.yaml"', 'my file.yaml'],
    ['vim', undefined],
    ['vim a b', undefined],
    ['vim $FILE', undefined],
    ['cat web.yaml', undefined],
    ['vim web.yaml | cat', undefined],
  ])('%s opens %s in the editor pane', (line, file) => {
    expect(editorTarget(line)).toBe(file);
  });

  it('an editor line runs in the foreground (it reads nothing the student types)', () => {
    expect(lineShape('vim web.yaml')).toEqual(foreground('vim web.yaml'));
  });
});

describe('lineShape', () => {
  it.each([
    'kubectl get pods -w',
    'kubectl get pods --watch',
    'kubectl get pods --watch-only',
    'kubectl get pods -Aw',
    'kubectl -n kube-system get pods -w',
    'kubectl get pods -w | grep web',
    'kubectl rollout status deployment/web',
    'kubectl rollout status deployment/web -w',
    'kubectl logs -f web',
    'kubectl logs --follow=true web',
    'kubectl port-forward svc/web 8080:80',
    'kubectl proxy',
    'kubectl attach web',
    'kubectl run web -it --rm --image=nginx',
    'kubectl run t --stdin --restart=Never --image=busybox -- date',
  ])('%s follows changes until Ctrl-C', (line) => {
    expect(lineShape(line)).toEqual(foreground(line, true));
  });

  it.each([
    'kubectl get pods',
    'kubectl get pods -owide',
    'kubectl get pods -o wide',
    'kubectl get pods --watch=false',
    'kubectl rollout status deployment/web --watch=false',
    'kubectl logs web',
    'kubectl wait --for=condition=available deployment/web',
    'kubectl exec -it web -- sh',
    'kubectl run web --image=nginx -- sh -i',
    'cat deployment.yaml',
    'kubectl apply -f deployment.yaml',
    'cat deployment.yaml | kubectl apply -f -',
    'kubectl create deployment web --image=nginx --dry-run=client -o yaml | kubectl apply -f -',
    "echo 'a & b'",
    'a & b',
    '&',
    'kubectl get pods &&',
    'echo $(minikube ip',
    "echo 'unterminated",
    '',
    '# just a comment',
  ])('%j is an ordinary foreground command', (line) => {
    expect(lineShape(line)).toEqual(foreground(line));
  });

  it.each([
    ['kubectl get pods -w &', 'kubectl get pods -w'],
    ['kubectl get pods -w&', 'kubectl get pods -w'],
    ['kubectl logs -f web   &   # follow it', 'kubectl logs -f web'],
    ['kubectl get pods -w | grep web &', 'kubectl get pods -w | grep web'],
    ['cat <<EOF | kubectl apply -f - &\nkind: x\nEOF', 'cat <<EOF | kubectl apply -f -\nkind: x\nEOF'],
  ])('%j runs in the background as %j', (line, text) => {
    expect(lineShape(line)).toEqual({ kind: 'background', text });
  });

  it.each([
    ['jobs', 'jobs'],
    ['jobs -l', 'jobs'],
    ['kill %1', 'kill'],
    ['kill -9 4242', 'kill'],
    ['kill -l', 'kill'],
    ['fg', 'fg'],
    ['bg %1', 'bg'],
    ['wait', 'wait'],
  ])('%s is job control (%s)', (line, builtin) => {
    expect(lineShape(line)).toEqual({ kind: 'job-control', text: line, builtin });
  });

  it.each([
    'read name',
    'read -r -p "Name: " name',
    'cat',
    'cat -',
    'cat - deployment.yaml',
    'cat | grep x',
    'kubectl apply -f -',
    'kubectl apply --filename=-',
    'kubectl create -f -',
    'kubectl edit -f -',
    'cat > web.yaml',
    'kubectl delete -f -',
    'kubectl diff -f -',
    'kubectl replace -f -',
  ])('%s reads what the student types', (line) => {
    expect(lineShape(line)).toEqual(interactive(line));
  });

  it.each([
    'kubectl edit deployment web',
    'kubectl -n kube-system edit cm/coredns',
    'kubectl edit deploy/web | cat',
  ])('%s waits for the editor pane only, never for typed input', (line) => {
    expect(lineShape(line)).toEqual({ ...interactive(line), editorOnly: true });
  });

  it('asks for the body of a here-document written into a file, then runs it in the foreground', () => {
    expect(lineShape('cat <<EOF > web.yaml')).toEqual(interactive('cat <<EOF > web.yaml', '> '));
    expect(isComplete('cat <<EOF > web.yaml\nkind: Pod')).toBe(false);
    const whole = 'cat <<EOF > web.yaml\nkind: Pod\nEOF';
    expect(isComplete(whole)).toBe(true);
    expect(lineShape(whole)).toEqual(foreground(whole));
  });

  it('asks for the rest of an open here-document, and sees the whole text once it is complete', () => {
    expect(lineShape('kubectl apply -f - <<EOF')).toEqual(interactive('kubectl apply -f - <<EOF', '> '));
    expect(lineShape('cat <<EOF | kubectl apply -f - &')).toEqual(
      interactive('cat <<EOF | kubectl apply -f - &', '> '),
    );
    const whole = 'kubectl apply -f - <<EOF\napiVersion: v1\nEOF';
    expect(lineShape(whole)).toEqual(foreground(whole));
    expect(lineShape('read name <<EOF\nbob\nEOF')).toEqual(foreground('read name <<EOF\nbob\nEOF'));
    expect(lineShape('cat <<EOF\nx\nEOF')).toEqual(foreground('cat <<EOF\nx\nEOF'));
  });
});

describe('isComplete', () => {
  it.each([
    ['kubectl get pods', true],
    ['cat <<EOF', false],
    ['cat <<EOF\nline', false],
    ['cat <<EOF\nline\nEOF', true],
    ['cat <<EOF\nline\nEOF\n', true],
    ['cat <<-EOF\n\tline\n\tEOF', true],
    ["cat <<'END'\n$x\nEND", true],
    ['cat <<A | grep x <<B\na\nA', false],
    ['cat <<A | grep x <<B\na\nA\nb\nB', true],
    ['cat <<EOF &', false],
    ['cat <<EOF &\nx\nEOF', true],
    ["echo 'unterminated", true],
    ['cat <<', true],
  ])('%j: %s', (text, complete) => {
    expect(isComplete(text)).toBe(complete);
  });
});

describe('minikube runs that last until Ctrl-C', () => {
  it.each([
    ['minikube tunnel', true],
    ['minikube dashboard --url', true],
    ['minikube dashboard', true],
    ['minikube node add', false],
    ['minikube ssh', false],
  ])('%s: lasting %s', (text, lasting) => {
    expect(lineShape(text)).toEqual({ kind: 'foreground', text, lasting });
  });
});
