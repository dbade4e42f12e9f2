import { describe, expect, it } from 'vitest';
import { createBodyRenderer } from './rendered-body.ts';

describe('createBodyRenderer', () => {
  it('keeps the rendering of a frozen output and renders anything else anew', () => {
    const bodies = createBodyRenderer();
    const frozen = Object.freeze({ id: 1, name: 'a' });
    const first = bodies.render(frozen);
    expect(first.body.toString()).toBe('{"id":1,"name":"a"}');
    expect(bodies.render(frozen)).toBe(first);
    expect(first.etag()).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const open = { id: 1, name: 'a' };
    const a = bodies.render(open);
    open.name = 'b';
    const b = bodies.render(open);
    expect(b).not.toBe(a);
    expect(b.body.toString()).toBe('{"id":1,"name":"b"}');
    expect(b.etag()).not.toBe(a.etag());
  });

  it('renders scalars and undefined as JSON', () => {
    const bodies = createBodyRenderer();
    expect(bodies.render(undefined).body.toString()).toBe('null');
    expect(bodies.render('x').body.toString()).toBe('"x"');
    expect(bodies.render(null).body.toString()).toBe('null');
    // Bytes, not UTF-16 length: a non-ASCII body is longer on the wire than as a string.
    expect(bodies.render('é€').body.length).toBe(7);
  });
});
