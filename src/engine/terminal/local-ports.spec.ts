import { labCluster } from '../testing';
import { LocalPorts, type LocalListener, type LocalRequest } from './local-ports';
import { runCurl } from './programs';

function recorder(body = 'hello\n'): LocalListener & { seen: LocalRequest[] } {
  const seen: LocalRequest[] = [];
  return {
    owner: 'test',
    seen,
    request: (request) => {
      seen.push(request);
      return { ok: true, status: 200, body };
    },
  };
}

describe('LocalPorts', () => {
  it('binds an address once per family and frees it on release', () => {
    const ports = new LocalPorts();
    const first = ports.bind('127.0.0.1', 8080, recorder());
    expect(first.ok).toBe(true);
    expect(ports.bind('127.0.0.1', 8080, recorder())).toEqual({ ok: false, error: 'address already in use' });
    expect(ports.bind('::1', 8080, recorder()).ok).toBe(true);
    expect(ports.bind('0.0.0.0', 8080, recorder())).toEqual({ ok: false, error: 'address already in use' });
    expect(ports.list()).toEqual([
      { address: '127.0.0.1', port: 8080, owner: 'test' },
      { address: '::1', port: 8080, owner: 'test' },
    ]);
    if (first.ok) first.release();
    expect(ports.list()).toEqual([{ address: '::1', port: 8080, owner: 'test' }]);
    expect(ports.bind('127.0.0.1', 8080, recorder()).ok).toBe(true);
  });

  it('refuses privileged ports and addresses that are not the machine', () => {
    const ports = new LocalPorts();
    expect(ports.bind('127.0.0.1', 80, recorder())).toEqual({ ok: false, error: 'permission denied' });
    expect(ports.bind('10.19.21.23', 8080, recorder())).toEqual({
      ok: false,
      error: 'cannot assign requested address',
    });
    expect(ports.bind('127.0.0.2', 8080, recorder()).ok).toBe(true);
  });

  it('connects localhost to ::1 first, then 127.0.0.1, and a wildcard listener to every local address', () => {
    const ports = new LocalPorts();
    const v4 = recorder('v4');
    const v6 = recorder('v6');
    ports.bind('127.0.0.1', 9000, v4);
    expect(ports.connect('localhost', 9000, '/x?y=1')).toEqual({ ok: true, status: 200, body: 'v4' });
    expect(v4.seen).toEqual([{ host: 'localhost', port: 9000, path: '/x?y=1', address: '127.0.0.1' }]);
    ports.bind('::1', 9000, v6);
    expect(ports.connect('localhost', 9000, '/')).toMatchObject({ body: 'v6' });
    expect(ports.connect('127.0.0.1', 9000, '/')).toMatchObject({ body: 'v4' });
    expect(ports.connect('127.0.0.1', 9001, '/')).toEqual({ ok: false, error: 'refused' });
    ports.bind('0.0.0.0', 9002, recorder('all'));
    expect(ports.connect('127.0.0.5', 9002, '/')).toMatchObject({ body: 'all' });
    expect(ports.connect('localhost', 9002, '/')).toMatchObject({ body: 'all' });
  });

  it('picks free ephemeral ports deterministically from the seed', () => {
    const a = new LocalPorts();
    const b = new LocalPorts();
    const picks = [a.pickFree(7), a.pickFree(7)];
    expect([b.pickFree(7), b.pickFree(7)]).toEqual(picks);
    for (const port of picks) {
      expect(port).toBeGreaterThanOrEqual(32768);
      expect(port).toBeLessThanOrEqual(60999);
    }
    expect(new LocalPorts().pickFree(8)).not.toBe(picks[0]);
  });
});

describe('curl to localhost', () => {
  function curl(ports: LocalPorts | undefined, ...args: string[]) {
    const { cluster } = labCluster();
    const result = { stdout: '', stderr: '', code: 0 };
    result.code = runCurl(
      cluster,
      args,
      { stdout: (c) => (result.stdout += c), stderr: (c) => (result.stderr += c) },
      ports,
    );
    return result;
  }

  it.each(['localhost:8080', 'http://localhost:8080/', '127.0.0.1:8080', 'LOCALHOST:8080'])(
    '%s with nothing listening is refused',
    (url) => {
      // curl names the host as it was typed.
      const host = /^(?:http:\/\/)?([^:/]+)/.exec(url)?.[1];
      expect(curl(new LocalPorts(), url)).toEqual({
        stdout: '',
        stderr: `curl: (7) Failed to connect to ${host} port 8080 after 0 ms: Connection refused\n`,
        code: 7,
      });
    },
  );

  it('reaches what listens on the port, with its status and content type under -i', () => {
    const ports = new LocalPorts();
    const listener = recorder();
    ports.bind('127.0.0.1', 8001, {
      owner: 'test',
      request: (request) => {
        listener.request(request);
        return { ok: true, status: 404, body: '{}', contentType: 'application/json' };
      },
    });
    expect(curl(ports, 'http://localhost:8001/api?x=1')).toEqual({ stdout: '{}', stderr: '', code: 0 });
    expect(listener.seen[0]).toEqual({
      host: 'localhost',
      port: 8001,
      path: '/api?x=1',
      address: '127.0.0.1',
    });
    expect(curl(ports, '-i', '127.0.0.1:8001').stdout).toBe(
      'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nDate: Mon, 03 Jun 2024 02:15:00 GMT\r\n' +
        'Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n{}',
    );
  });

  it('reports an empty reply as curl 52', () => {
    const ports = new LocalPorts();
    ports.bind('::1', 8080, { owner: 'test', request: () => ({ ok: false, error: 'empty-reply' }) });
    expect(curl(ports, 'localhost:8080')).toEqual({
      stdout: '',
      stderr: 'curl: (52) Empty reply from server\n',
      code: 52,
    });
    expect(curl(ports, '-s', 'localhost:8080')).toEqual({ stdout: '', stderr: '', code: 52 });
  });

  it('is refused without a registry (a caller that has no local ports)', () => {
    expect(curl(undefined, 'localhost:8001').code).toBe(7);
  });
});
