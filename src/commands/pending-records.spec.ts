import { PendingRecords } from './pending-records';

const settledWithin = async (promise: Promise<void>, turns = 5): Promise<boolean> => {
  let settled = false;
  void promise.then(() => (settled = true));
  for (let i = 0; i < turns; i++) await Promise.resolve();
  return settled;
};

describe('PendingRecords', () => {
  it('settles at once for a session with nothing pending', async () => {
    expect(await settledWithin(new PendingRecords().settled('s1'))).toBe(true);
  });

  it('waits for every run of the session marked before the wait began, and only those', async () => {
    const pending = new PendingRecords();
    pending.begin('s1', 'a');
    pending.begin('s1', 'b');
    pending.begin('s2', 'c');
    const waiting = pending.settled('s1');
    pending.begin('s1', 'later');
    pending.end('s1', 'a');
    expect(await settledWithin(waiting)).toBe(false);
    pending.end('s1', 'b');
    expect(await settledWithin(waiting)).toBe(true);
  });

  it('ignores an end for a run it never saw, or saw end already', async () => {
    const pending = new PendingRecords();
    pending.begin('s1', 'a');
    pending.end('s1', 'a');
    pending.end('s1', 'a');
    pending.end('s9', 'x');
    expect(await settledWithin(pending.settled('s1'))).toBe(true);
  });
});
