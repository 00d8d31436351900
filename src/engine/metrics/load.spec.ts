import { loopTarget } from './load';

describe('load clients', () => {
  it('finds the URL a while loop keeps requesting', () => {
    expect(loopTarget('/bin/sh -c while sleep 0.01; do wget -q -O- http://php-apache; done')).toEqual({
      host: 'php-apache',
      port: 80,
    });
    expect(loopTarget('while true; do curl -s "http://web.default.svc.cluster.local:8080/x"; done')).toEqual({
      host: 'web.default.svc.cluster.local',
      port: 8080,
    });
    expect(loopTarget('until false; do wget -qO- 10.96.0.12; sleep 1; done')).toEqual({
      host: '10.96.0.12',
      port: 80,
    });
  });

  it('ignores single requests, bounded loops and loops without a client', () => {
    expect(loopTarget('wget -q -O- http://php-apache')).toBeUndefined();
    expect(loopTarget('for i in 1 2 3; do wget -q -O- http://php-apache; done')).toBeUndefined();
    expect(loopTarget('while true; do echo hi; sleep 1; done')).toBeUndefined();
  });
});
