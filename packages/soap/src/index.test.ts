import { describe, expect, it } from 'vitest';
import * as api from './index.ts';

describe('public API', () => {
  it('exports exactly the documented runtime values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'NonceReplayCache',
      'createSoapHandler',
      'createWsdl',
      'renderSoapFault',
      'soapActionOf',
      'soapVersionOf',
      'verifyPasswordDigest',
    ]);
  });
});
