import { warmUpEngine } from './warm-up';

describe('warmUpEngine', () => {
  it('runs its lines on a throwaway cluster without an error', async () => {
    await expect(warmUpEngine()).resolves.toBe('');
  });
});
