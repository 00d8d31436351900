import { normaliseMigrationName } from './create-migration';

describe('normaliseMigrationName', () => {
  it('lower-cases and turns spaces and dashes into underscores', () => {
    expect(normaliseMigrationName('Add lab-tags')).toBe('add_lab_tags');
    expect(normaliseMigrationName('init')).toBe('init');
  });

  it('rejects names that would make unsafe or odd directory names', () => {
    for (const bad of ['', '   ', '../escape', 'drop;table', '_leading', 'é']) {
      expect(() => normaliseMigrationName(bad)).toThrow(/Invalid migration name/);
    }
  });
});
