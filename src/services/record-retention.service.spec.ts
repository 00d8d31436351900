import { KEPT_OUTPUT_CHARACTERS, trimmedOutput } from './record-retention.service';

describe('trimmedOutput (what retention keeps of a run output)', () => {
  it('keeps an output of at most the excerpt whole', () => {
    expect(trimmedOutput('')).toBe('');
    expect(trimmedOutput('deployment.apps/yanwei.app created\n')).toBe(
      'deployment.apps/yanwei.app created\n',
    );
    const exactly = 'x'.repeat(KEPT_OUTPUT_CHARACTERS);
    expect(trimmedOutput(exactly)).toBe(exactly);
  });

  it('keeps the opening characters of a longer one and says how long it was, counting characters', () => {
    const log = '日志 line\n'.repeat(300); // 9 characters a line, most of them one byte
    const kept = trimmedOutput(log);
    expect(kept.startsWith(log.slice(0, KEPT_OUTPUT_CHARACTERS))).toBe(true);
    expect(kept.slice(KEPT_OUTPUT_CHARACTERS)).toBe(
      `\n[retention: output trimmed to its first 1024 of ${log.length} characters; ` +
        "the course's command-records export holds it whole]\n",
    );
  });
});
