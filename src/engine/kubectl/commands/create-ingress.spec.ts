import { ingressRules, ingressTls } from './create-ingress';

describe('kubectl create ingress rules', () => {
  it('merges the paths of one host and marks a trailing * as Prefix', () => {
    expect(ingressRules(['a.com/=s:80', 'a.com/x/*=s:http', '/p=t:0'])).toEqual([
      {
        host: 'a.com',
        http: {
          paths: [
            { backend: { service: { name: 's', port: { number: 80 } } }, path: '/', pathType: 'Exact' },
            { backend: { service: { name: 's', port: { name: 'http' } } }, path: '/x/', pathType: 'Prefix' },
          ],
        },
      },
      { http: { paths: [{ backend: { service: { name: 't', port: {} } }, path: '/p', pathType: 'Exact' }] } },
    ]);
  });

  it('groups TLS hosts by secret, first secret of a host wins, hostless rules add none', () => {
    expect(
      ingressTls([
        'a.com/=s:80,tls',
        'b.com/=s:80,tls=s2',
        'c.com/=s:80,tls',
        'b.com/x=s:80,tls=s3',
        '/=s:80,tls=x',
      ]),
    ).toEqual([{ hosts: ['a.com', 'c.com'] }, { hosts: ['b.com'], secretName: 's2' }]);
  });
});
