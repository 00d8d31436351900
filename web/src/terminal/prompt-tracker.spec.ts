import { PromptTracker, SHELL_PROMPT } from './prompt-tracker';

const ok = { exitCode: 0, status: 'completed' };
const failed = { exitCode: 1, status: 'completed' };

describe('PromptTracker', () => {
  it("shows bash's user@host:dir$ prompt, ~ for the home", () => {
    expect(SHELL_PROMPT).toBe('student@kubelab:~$ ');
    expect(new PromptTracker().prompt).toBe(SHELL_PROMPT);
  });

  it('follows each cd that succeeded, as pwd would print it below the home', () => {
    const shell = new PromptTracker();
    expect(shell.after('cd app', ok)).toBe('student@kubelab:~/app$ ');
    expect(shell.after('cd ./manifests/../v2', ok)).toBe('student@kubelab:~/app/v2$ ');
    expect(shell.after('cd ..', ok)).toBe('student@kubelab:~/app$ ');
    expect(shell.after('cd -', ok)).toBe('student@kubelab:~/app/v2$ ');
    expect(shell.after('cd /home/student/x', ok)).toBe('student@kubelab:~/x$ ');
    expect(shell.after('cd ~/y', ok)).toBe('student@kubelab:~/y$ ');
    expect(shell.after('cd', ok)).toBe(SHELL_PROMPT);
  });

  it('stays put for a cd that failed, ran in a pipeline or in the background', () => {
    const shell = new PromptTracker();
    expect(shell.after('cd nowhere', failed)).toBe(SHELL_PROMPT);
    expect(shell.after('cd app | cat', ok)).toBe(SHELL_PROMPT);
    expect(shell.after('cd app &', ok)).toBe(SHELL_PROMPT);
  });

  it("keeps the directory across a pod's shell and returns to it after exit", () => {
    const shell = new PromptTracker();
    shell.after('cd app', ok);
    expect(shell.after('kubectl exec -ti web-1 -- bash', ok)).toBe('root@web-1:/# ');
    expect(shell.after('cd /tmp', ok)).toBe('root@web-1:/# ');
    expect(shell.after('exit', ok)).toBe('student@kubelab:~/app$ ');
    shell.reset();
    expect(shell.prompt).toBe(SHELL_PROMPT);
  });

  it("shows the node's shell after an interactive minikube ssh, and the lab shell after exit", () => {
    const shell = new PromptTracker();
    expect(shell.after('minikube ssh', ok)).toBe('docker@minikube:~$ ');
    expect(shell.after('hostname', ok)).toBe('docker@minikube:~$ ');
    expect(shell.after('exit', ok)).toBe(SHELL_PROMPT);
    expect(shell.after('minikube ssh -n minikube-m02', ok)).toBe('docker@minikube-m02:~$ ');
    shell.reset();
    expect(shell.after('minikube ssh -- hostname', ok)).toBe(SHELL_PROMPT);
    expect(shell.after('minikube ssh', failed)).toBe(SHELL_PROMPT);
  });
});
