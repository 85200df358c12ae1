import { describe, expect, it } from 'vitest';
import { resolveSignInRegion } from './sign-in-region';

const configuredRegions = ['JP', 'TW', 'HK', 'US'];

describe('resolveSignInRegion', () => {
  it('takes the person’s choice first', () => {
    expect(resolveSignInRegion({ configuredRegions, clientRegions: ['JP', 'TW'], chosen: 'TW', hinted: 'JP' })).toEqual({ code: 'TW', source: 'choice', choices: ['JP', 'TW'] });
  });

  it('ignores a choice the client does not serve, then takes the region hint', () => {
    expect(resolveSignInRegion({ configuredRegions, clientRegions: ['JP', 'TW'], chosen: 'US', hinted: 'TW' })).toMatchObject({ code: 'TW', source: 'hint' });
  });

  it('uses the client’s only region when there is no usable choice or hint', () => {
    expect(resolveSignInRegion({ configuredRegions, clientRegions: ['HK'], chosen: undefined, hinted: 'JP' })).toEqual({ code: 'HK', source: 'client', choices: ['HK'] });
  });

  it('defaults to the first configured region the client serves', () => {
    expect(resolveSignInRegion({ configuredRegions, clientRegions: ['US', 'TW'], chosen: undefined, hinted: undefined })).toMatchObject({ code: 'TW', source: 'default', choices: ['TW', 'US'] });
    expect(resolveSignInRegion({ configuredRegions, clientRegions: [], chosen: undefined, hinted: undefined })).toMatchObject({ code: 'JP', source: 'default' });
  });

  it('never picks a region the configuration does not name', () => {
    expect(resolveSignInRegion({ configuredRegions, clientRegions: [], chosen: 'XX', hinted: 'ZZ' })).toMatchObject({ code: 'JP', source: 'default' });
    expect(resolveSignInRegion({ configuredRegions: [], clientRegions: [], chosen: 'JP', hinted: undefined })).toBeUndefined();
  });
});
