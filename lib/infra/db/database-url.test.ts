import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it('resolves relative SQLite paths against the working directory', () => {
    expect(parseDatabaseUrl('file:./data/meridian.db', '/srv/app')).toEqual({ provider: 'sqlite', file: '/srv/app/data/meridian.db' });
    expect(parseDatabaseUrl('file:data/x.db?connection_limit=1', '/srv/app')).toEqual({ provider: 'sqlite', file: '/srv/app/data/x.db' });
  });

  it('keeps absolute SQLite paths and file URLs', () => {
    expect(parseDatabaseUrl('file:/var/lib/meridian.db', '/srv/app')).toEqual({ provider: 'sqlite', file: '/var/lib/meridian.db' });
    expect(parseDatabaseUrl('file:///var/lib/meridian.db', '/srv/app')).toEqual({ provider: 'sqlite', file: '/var/lib/meridian.db' });
  });

  it('recognizes PostgreSQL URLs and refuses anything else', () => {
    expect(parseDatabaseUrl('postgres://u@h:5432/d')).toEqual({ provider: 'postgresql', url: 'postgres://u@h:5432/d' });
    expect(parseDatabaseUrl('postgresql://u@h/d')).toEqual({ provider: 'postgresql', url: 'postgresql://u@h/d' });
    expect(() => parseDatabaseUrl('mysql://u@h/d')).toThrow(/file: or postgres/);
  });
});
