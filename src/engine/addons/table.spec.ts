import { displayWidth, renderTable, wrapCell } from './table';

describe('minikube tables (tablewriter v0.0.5)', () => {
  it('counts an emoji as two columns', () => {
    expect(displayWidth('enabled ✅')).toBe(10);
    expect(displayWidth('disabled    ')).toBe(12);
  });

  it('wraps a long cell at word boundaries with the least raggedness', () => {
    expect(wrapCell('3rd party (InAccel [info@inaccel.com])', 30)).toEqual([
      '3rd party (InAccel',
      '[info@inaccel.com])',
    ]);
    expect(wrapCell('3rd party (inspektor-gadget.io)', 30)).toEqual(['3rd party', '(inspektor-gadget.io)']);
    expect(wrapCell('3rd party (Operator Framework)', 30)).toEqual(['3rd party (Operator Framework)']);
  });

  it('centres upper-case headers and continues wrapped rows on extra lines', () => {
    expect(
      renderTable(
        ['Addon Name', 'Status', 'Maintainer'],
        [
          ['inaccel', 'disabled    ', '3rd party (InAccel [info@inaccel.com])'],
          ['storage-provisioner', 'enabled ✅', 'minikube'],
        ],
      ),
    ).toBe(
      [
        '|---------------------|--------------|---------------------|',
        '|     ADDON NAME      |    STATUS    |     MAINTAINER      |',
        '|---------------------|--------------|---------------------|',
        '| inaccel             | disabled     | 3rd party (InAccel  |',
        '|                     |              | [info@inaccel.com]) |',
        '| storage-provisioner | enabled ✅   | minikube            |',
        '|---------------------|--------------|---------------------|',
        '',
      ].join('\n'),
    );
  });
});
