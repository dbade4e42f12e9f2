/**
 * XML 1.0 text helpers for output. Characters XML 1.0 cannot carry (C0 controls except TAB/LF/CR,
 * U+FFFE/U+FFFF, lone surrogates) are REPLACED with U+FFFD: a stray control character in stored
 * data must not make a record unreadable over SOAP, and a client can never receive malformed XML.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching XML-forbidden control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: see FORBIDDEN
const NEEDS_WORK = /[&<>"'\r\t\n\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '\r': '&#xD;',
};
const ATTR_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#x9;',
  '\n': '&#xA;',
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: see FORBIDDEN
const MAY_BE_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
const TEXT_SPECIAL = /[&<>\r]/g;
const ATTR_SPECIAL = /[&<>"'\r\t\n]/g;
const textEscape = (c: string): string => TEXT_ESCAPES[c]!;
const attrEscape = (c: string): string => ATTR_ESCAPES[c]!;

/** Replaces characters XML 1.0 forbids with U+FFFD. */
export function replaceForbiddenChars(value: string): string {
  return value.replace(FORBIDDEN, '\uFFFD');
}

/**
 * Escapes character data. `>` is always escaped, so `]]>` can never end a CDATA section the
 * client might imagine, and `<![CDATA[` arrives as text.
 */
export function escapeText(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  // Most values that need work only hold & < > (the forbidden-character pass is the slow one).
  return (MAY_BE_FORBIDDEN.test(value) ? replaceForbiddenChars(value) : value).replace(TEXT_SPECIAL, textEscape);
}

/** Escapes an attribute value (both quote styles, and whitespace that attribute normalisation would eat). */
export function escapeAttr(value: string): string {
  if (!NEEDS_WORK.test(value)) return value;
  return (MAY_BE_FORBIDDEN.test(value) ? replaceForbiddenChars(value) : value).replace(ATTR_SPECIAL, attrEscape);
}

const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** True for the ASCII subset of XML NCNames we allow as element names. */
export function isNcName(name: string): boolean {
  return NCNAME.test(name);
}
