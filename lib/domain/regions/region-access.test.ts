import { describe, expect, it } from 'vitest';
import { isAppError } from '../errors';
import { decideRegionAccess, parseRegionHint } from './region-access';

describe('region access', () => {
  it('allows an account whose region the client supports, without a hint or with the account\'s own', () => {
    expect(decideRegionAccess({ accountRegion: 'JP', supportedRegions: ['JP', 'TW'] })).toEqual({ allowed: true });
    expect(decideRegionAccess({ accountRegion: 'jp', supportedRegions: ['JP', 'TW'], requestedRegion: 'JP' })).toEqual({ allowed: true });
  });

  it('honours the app\'s region choice: a different hint is a mismatch even when the client serves both regions', () => {
    expect(decideRegionAccess({ accountRegion: 'JP', supportedRegions: ['JP', 'TW'], requestedRegion: 'TW' })).toEqual({
      allowed: false,
      code: 'region_mismatch',
      accountRegion: 'JP',
      supportedRegions: ['JP', 'TW'],
      requestedRegion: 'TW',
      switchRegion: true,
    });
  });

  it('refuses any other account with region_mismatch naming its region', () => {
    expect(decideRegionAccess({ accountRegion: 'JP', supportedRegions: ['TW', 'HK'] })).toEqual({
      allowed: false,
      code: 'region_mismatch',
      accountRegion: 'JP',
      supportedRegions: ['TW', 'HK'],
      requestedRegion: undefined,
      switchRegion: false,
    });
  });

  it('tells the app to switch when its region hint differs from the account’s region', () => {
    expect(decideRegionAccess({ accountRegion: 'JP', supportedRegions: ['TW', 'HK'], requestedRegion: 'TW' })).toMatchObject({
      allowed: false,
      accountRegion: 'JP',
      requestedRegion: 'TW',
      switchRegion: true,
    });
    // The hint already names the account's region: nothing to switch to.
    expect(decideRegionAccess({ accountRegion: 'JP', supportedRegions: ['TW', 'HK'], requestedRegion: 'JP' })).toMatchObject({
      allowed: false,
      requestedRegion: undefined,
      switchRegion: false,
    });
  });

  it('parses the region hint: absent, or two letters (upper-cased); anything else is an error', () => {
    expect(parseRegionHint(undefined)).toBeUndefined();
    expect(parseRegionHint('')).toBeUndefined();
    expect(parseRegionHint('tw')).toBe('TW');
    for (const bad of ['TWN', 'T1', ' JP', 42]) {
      try {
        parseRegionHint(bad);
        throw new Error(`accepted ${String(bad)}`);
      } catch (e) {
        expect(isAppError(e) && e.code).toBe('region.invalid_hint');
      }
    }
  });
});
