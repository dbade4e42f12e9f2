import type { SoapSecurity, SoapVersion } from '../types.ts';
import {
  SOAP11_ENV,
  SOAP12_ENV,
  SOAP_ACTOR_NEXT_11,
  SOAP_ROLE_NEXT_12,
  SOAP_ROLE_ULTIMATE_12,
  WSSE,
  WSU,
} from './namespaces.ts';
import { type NotUnderstoodHeader, SoapProtocolError } from './soap-error.ts';
import type { XmlElement } from './xml-tree.ts';

const PASSWORD_DIGEST_SUFFIX = '#PasswordDigest';
const PASSWORD_TEXT_SUFFIX = '#PasswordText';

function child(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  let found: XmlElement | undefined;
  for (const c of el.children) {
    if (c.ns === ns && c.local === local) {
      if (found) throw new SoapProtocolError('BAD_REQUEST', `Repeated ${local} in security header`);
      found = c;
    }
  }
  return found;
}

function mustUnderstand(block: XmlElement, version: SoapVersion): boolean {
  const envNs = version === '1.1' ? SOAP11_ENV : SOAP12_ENV;
  const value = block.attrs.get(`{${envNs}}mustUnderstand`)?.trim();
  return value === '1' || value === 'true';
}

/** Header blocks addressed to another node are not ours to understand (SOAP 1.1 actor / 1.2 role). */
function targetsUs(block: XmlElement, version: SoapVersion): boolean {
  if (version === '1.1') {
    const actor = block.attrs.get(`{${SOAP11_ENV}}actor`);
    return actor === undefined || actor === SOAP_ACTOR_NEXT_11;
  }
  const role = block.attrs.get(`{${SOAP12_ENV}}role`);
  return role === undefined || role === SOAP_ROLE_NEXT_12 || role === SOAP_ROLE_ULTIMATE_12;
}

function usernameToken(security: XmlElement): SoapSecurity | undefined {
  const token = child(security, WSSE, 'UsernameToken');
  if (!token) return undefined;
  const username = child(token, WSSE, 'Username');
  const password = child(token, WSSE, 'Password');
  if (!username || !password) {
    throw new SoapProtocolError('BAD_REQUEST', 'UsernameToken needs Username and Password');
  }
  const type = password.attrs.get('{}Type');
  let passwordType: 'text' | 'digest';
  if (type === undefined || type.endsWith(PASSWORD_TEXT_SUFFIX)) passwordType = 'text';
  else if (type.endsWith(PASSWORD_DIGEST_SUFFIX)) passwordType = 'digest';
  else throw new SoapProtocolError('BAD_REQUEST', 'Unsupported UsernameToken password type');
  const nonce = child(token, WSSE, 'Nonce')?.text.trim();
  const created = child(token, WSU, 'Created')?.text.trim();
  return {
    kind: 'usernameToken',
    username: username.text.trim(),
    // A digest is base64 (whitespace is noise); a clear-text password is kept exactly.
    password: passwordType === 'digest' ? password.text.trim() : password.text,
    passwordType,
    ...(nonce !== undefined ? { nonce } : {}),
    ...(created !== undefined ? { created } : {}),
  };
}

/**
 * We claim to understand wsu:Timestamp, so we honour it: an expired message is refused. (Created
 * freshness of a UsernameToken is the app's check, via verifyPasswordDigest.)
 */
function checkTimestamp(security: XmlElement): void {
  const timestamp = child(security, WSU, 'Timestamp');
  if (!timestamp) return;
  const expires = child(timestamp, WSU, 'Expires')?.text.trim();
  if (expires === undefined) return;
  const at = Date.parse(expires);
  if (Number.isNaN(at)) throw new SoapProtocolError('BAD_REQUEST', 'Malformed wsu:Expires');
  if (at < Date.now()) throw new SoapProtocolError('UNAUTHORIZED', 'The message has expired (wsu:Timestamp)');
}

/** Children of wsse:Security we can honestly claim to process (no signatures, no encryption). */
function onlyKnownSecurityParts(security: XmlElement): boolean {
  return security.children.every(
    (c) => (c.ns === WSSE && c.local === 'UsernameToken') || (c.ns === WSU && c.local === 'Timestamp'),
  );
}

/**
 * Reads the SOAP Header: WS-Security UsernameToken and `<tns:ApiKey>` become `security`; any other
 * block with mustUnderstand targeted at us is a MustUnderstand fault. A Security header that also
 * carries signatures/encryption and demands understanding is refused, never half-processed.
 */
export function readSecurityHeader(
  header: XmlElement | undefined,
  version: SoapVersion,
  namespace: string,
): SoapSecurity | undefined {
  if (!header) return undefined;
  const found: SoapSecurity[] = [];
  const notUnderstood: NotUnderstoodHeader[] = [];
  let securityBlocks = 0;
  for (const block of header.children) {
    const ours = targetsUs(block, version);
    if (block.ns === WSSE && block.local === 'Security' && ours) {
      securityBlocks += 1;
      if (mustUnderstand(block, version) && !onlyKnownSecurityParts(block)) {
        notUnderstood.push({ ns: block.ns, local: block.local });
        continue;
      }
      checkTimestamp(block);
      const token = usernameToken(block);
      if (token) found.push(token);
    } else if (block.ns === namespace && block.local === 'ApiKey' && ours) {
      found.push({ kind: 'apiKey', key: block.text.trim() });
    } else if (ours && mustUnderstand(block, version)) {
      notUnderstood.push({ ns: block.ns, local: block.local });
    }
  }
  if (notUnderstood.length > 0) {
    const names = notUnderstood.map((h) => `{${h.ns}}${h.local}`).join(', ');
    throw new SoapProtocolError('BAD_REQUEST', `Header not understood: ${names}`, {
      kind: 'MustUnderstand',
      notUnderstood,
    });
  }
  if (securityBlocks > 1 || found.length > 1) {
    // Two credentials are ambiguous; picking one silently is how auth bypasses happen.
    throw new SoapProtocolError('BAD_REQUEST', 'More than one credential in the SOAP Header');
  }
  return found[0];
}
