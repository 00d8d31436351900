import { databaseNameOf, quoteIdentifier, redactPassword, withDatabase } from './postgres-server';

describe('PostgreSQL URL helpers', () => {
  it('swaps the database and keeps credentials, host and parameters', () => {
    expect(withDatabase('postgresql://app:s3cret@db.internal:6543/kubelab?sslmode=require', 'postgres')).toBe(
      'postgresql://app:s3cret@db.internal:6543/postgres?sslmode=require',
    );
  });

  it('reads the database name, decoding escapes', () => {
    expect(databaseNameOf('postgresql://root@127.0.0.1:5432/kubelab_test_ab12')).toBe('kubelab_test_ab12');
    expect(databaseNameOf('postgres://root@127.0.0.1/my%20db')).toBe('my db');
  });

  it('rejects URLs without a database, other protocols and garbage', () => {
    expect(() => databaseNameOf('postgresql://root@127.0.0.1:5432/')).toThrow(/names no database/);
    expect(() => databaseNameOf('mysql://root@127.0.0.1/kubelab')).toThrow(/Only PostgreSQL URLs/);
    expect(() => withDatabase('not a url', 'x')).toThrow(/not a valid URL/);
  });

  it('hides passwords in messages', () => {
    expect(redactPassword('postgresql://app:s3cret@db:5432/kubelab')).toBe(
      'postgresql://app:***@db:5432/kubelab',
    );
    expect(redactPassword('postgresql://root@db:5432/kubelab')).toBe('postgresql://root@db:5432/kubelab');
  });

  it('quotes identifiers, doubling embedded quotes', () => {
    expect(quoteIdentifier('kubelab')).toBe('"kubelab"');
    expect(quoteIdentifier('we"ird')).toBe('"we""ird"');
  });
});
