import { describe, expect, it } from 'vitest';
import { parseContentType } from './http.ts';

describe('parseContentType', () => {
  it('parses the media type and parameters (names lower-cased, quotes and escapes removed)', () => {
    const ct = parseContentType('Application/SOAP+xml; Charset=UTF-8; action="urn:x#\\"Op\\""');
    expect(ct.mediaType).toBe('application/soap+xml');
    expect(Object.fromEntries(ct.params)).toEqual({ charset: 'UTF-8', action: 'urn:x#"Op"' });
    expect(parseContentType(undefined).mediaType).toBe('');
  });

  it('answers the same from its cache, also after more distinct values than it keeps', () => {
    const first = parseContentType('text/xml; charset=utf-8');
    for (let i = 0; i < 200; i += 1) {
      expect(parseContentType(`application/soap+xml; action="urn:x#Op${i}"`).params.get('action')).toBe(`urn:x#Op${i}`);
    }
    expect(parseContentType('text/xml; charset=utf-8')).toEqual(first);
    expect(parseContentType(`application/soap+xml; action="urn:x#Op7"`).params.get('action')).toBe('urn:x#Op7');
  });
});
