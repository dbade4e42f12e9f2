/**
 * Interoperability with independent SOAP stacks calling the LIVE WSDL: node-soap (npm), PHP's
 * SoapClient (php8.2-soap) and python3-zeep (Debian's /usr/bin/python3). A missing binary skips
 * its block with a message; nothing here is mocked.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as soap from 'soap';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPasswordDigest } from './security.ts';
import { type TestServer, startTestServer } from './testing/server.ts';

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // Async on purpose: the server under test lives in this same process.
    execFile(command, args, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

function hasPhpSoap(): boolean {
  return existsSync('/usr/bin/php');
}
function hasZeep(): boolean {
  return existsSync('/usr/bin/python3');
}

let server: TestServer;
/** verifyPasswordDigest results for every digest token a real client sent (secret = 'secret'). */
const digestChecks: unknown[] = [];
beforeAll(async () => {
  server = await startTestServer({
    createContext: ({ res, security }) => {
      if (security?.kind === 'usernameToken' && security.passwordType === 'digest') {
        digestChecks.push(
          verifyPasswordDigest({ password: 'secret', nonce: security.nonce ?? '', created: security.created ?? '', digest: security.password }),
        );
      }
      return { res, security };
    },
  });
});
afterAll(() => server.close());

interface FaultLike {
  root?: { Envelope?: { Body?: { Fault?: Record<string, unknown> } } };
  response?: { status?: number };
}

describe('node-soap client from the live WSDL', () => {
  for (const soap12 of [false, true]) {
    it(`calls every operation over SOAP ${soap12 ? '1.2' : '1.1'} and gets typed data`, async () => {
      const client = await soap.createClientAsync(server.wsdlUrl, soap12 ? { forceSoap12Headers: true } : {});
      const [created] = await client.CreateNoteAsync({
        title: `node ${soap12 ? '1.2' : '1.1'} <&>`,
        priority: 4,
        rating: 4.5,
        price: 9.99,
        tags: ['a', 'b'],
        author: { name: 'Nod', email: 'nod@example.com' },
      });
      expect(created).toMatchObject({
        title: `node ${soap12 ? '1.2' : '1.1'} <&>`,
        priority: 4,
        rating: 4.5,
        pinned: false,
        tags: ['a', 'b'],
        author: { name: 'Nod', email: 'nod@example.com' },
      });
      expect(typeof created.views).toBe('number');
      expect(soap12 ? client.lastRequestHeaders?.['Content-Type'] : client.lastRequestHeaders?.SOAPAction).toMatch(
        soap12 ? /application\/soap\+xml.*action=/ : /CreateNote/,
      );
      const id = created.id as string;
      const [got] = await client.GetNoteAsync({ id });
      expect(got).toMatchObject({ id, title: created.title, price: created.price });
      const [list] = await client.ListNotesAsync({ limit: 50 });
      const items = Array.isArray(list.items) ? list.items : [list.items];
      expect(items.some((n: { id: string }) => n.id === id)).toBe(true);
      const [echo] = await client.EchoAsync({ text: ']]><![CDATA[', count: 3, flag: true });
      expect(echo).toEqual({ text: ']]><![CDATA[', count: 3, flag: true });
      const [codes] = await client.FromCodesAsync({ codes: [104, 105] });
      expect(codes).toEqual({ text: 'hi' });
      const [tree] = await client.GetTreeAsync({ depth: 1 });
      expect(tree.total).toBe(3);
      expect(tree.root.name).toBe('root');
      expect(tree.root.children.map((c: { name: string }) => c.name)).toEqual(['root.a', 'root.b']);
      client.addSoapHeader({ ApiKey: 'k1' }, '', 'tns', 'urn:triport:soap:v1');
      const [secret] = await client.GetSecretAsync({});
      expect(secret).toEqual({ owner: 'owner-1' });
      expect(client.lastRequest).toContain('<ApiKey xmlns="urn:triport:soap:v1">k1</ApiKey></soap:Header>');
      client.clearSoapHeaders();
      const [ping] = await client.PingAsync({});
      expect(ping).toEqual({ ok: true });
      const [who] = await client.WhoAmIAsync({});
      expect(who.kind).toBe('none');
      const fault = (await client.FailAsync({ kind: 'notFound' }).then(
        () => undefined,
        (error: unknown) => error,
      )) as FaultLike | undefined;
      expect(fault?.response?.status).toBe(soap12 ? 404 : 500);
      const body = fault?.root?.Envelope?.Body?.Fault;
      expect(JSON.stringify(body)).toContain('NOT_FOUND');
      const broken = (await client.BrokenAsync({}).then(
        () => undefined,
        (error: unknown) => error,
      )) as FaultLike | undefined;
      expect(broken?.response?.status).toBe(500);
    });
  }

  it('sends a WS-Security PasswordDigest that verifyPasswordDigest accepts', async () => {
    const client = await soap.createClientAsync(server.wsdlUrl);
    client.setSecurity(new soap.WSSecurity('alice', 'secret', { passwordType: 'PasswordDigest', hasNonce: true }));
    const [who] = await client.WhoAmIAsync({});
    expect(who).toEqual({ kind: 'usernameToken', principal: 'alice', passwordType: 'digest' });
    expect(digestChecks.at(-1)).toEqual({ ok: true });
  });
});

describe.skipIf(!hasPhpSoap())('PHP SoapClient (php8.2-soap) from the live WSDL', () => {
  it('calls operations over SOAP 1.1 and 1.2 and reads typed faults', async () => {
    const script = `
$out = [];
foreach ([SOAP_1_1, SOAP_1_2] as $v) {
  $c = new SoapClient($argv[1], ['soap_version' => $v, 'exceptions' => true, 'cache_wsdl' => WSDL_CACHE_NONE]);
  $n = $c->CreateNote(['title' => 'php & <co>', 'priority' => 3, 'tags' => ['x', 'y'], 'author' => ['name' => 'P']]);
  $g = $c->GetNote(['id' => $n->id]);
  $e = $c->Echo(['text' => "quote ' \\" ]]>", 'flag' => false]);
  try { $c->Fail(['kind' => 'forbidden']); $f = null; } catch (SoapFault $x) { $f = [$x->faultcode, $x->faultstring, $x->detail->ErrorDetail->code]; }
  $out[] = ['title' => $g->title, 'priority' => $g->priority, 'pinned' => $g->pinned, 'tags' => $g->tags, 'echo' => $e->text, 'flag' => $e->flag, 'fault' => $f];
}
echo json_encode($out);
`;
    if (!(await run('php', ['-m'])).includes('soap')) {
      console.warn('php has no soap extension: skipping');
      return;
    }
    const result = JSON.parse(await run('php', ['-r', script, server.wsdlUrl])) as Array<Record<string, unknown>>;
    expect(result).toHaveLength(2);
    for (const [i, version] of ['soap', 'env'].entries()) {
      expect(result[i]).toMatchObject({
        title: 'php & <co>',
        priority: 3,
        pinned: false,
        tags: ['x', 'y'],
        echo: `quote ' " ]]>`,
        flag: false,
      });
      expect(result[i]!.fault).toEqual([`${version === 'soap' ? 'soap:Client' : 'env:Sender'}`, 'Not yours', 'FORBIDDEN']);
    }
  });
});

describe.skipIf(!hasZeep())('python3-zeep from the live WSDL', () => {
  it('calls operations on both bindings and reads typed values and faults', async () => {
    const script = `
import json, sys
try:
    import zeep
except ImportError:
    print(json.dumps({"skip": "python3-zeep not installed"})); sys.exit(0)
client = zeep.Client(sys.argv[1])
out = []
for binding in ("NotesServiceSoap11", "NotesServiceSoap12"):
    svc = client.bind("NotesService", binding)
    n = svc.CreateNote(title="zeep", priority=5, price="12.50", tags=["t"], author={"name": "Z"}, rating=None)
    g = svc.GetNote(id=n.id)
    fault = None
    try:
        svc.Fail(kind="rateLimited")
    except zeep.exceptions.Fault as f:
        fault = [f.code, f.message]
    tree = svc.GetTree(depth=2)
    out.append({"tree": [tree.total, tree.root.name, [c.name for c in tree.root.children], [len(c.children) for c in tree.root.children]],
                "title": g.title, "priority": g.priority, "priorityType": type(g.priority).__name__,
                "price": str(g.price), "priceType": type(g.price).__name__, "rating": g.rating,
                "created": g.createdAt.isoformat(), "revisions": [r["item"] for r in g.revisions], "fault": fault})
from zeep.wsse.username import UsernameToken
secured = zeep.Client(sys.argv[1], wsse=UsernameToken("zed", "secret", use_digest=True))
who = secured.service.WhoAmI()
out.append({"who": [who.kind, who.principal, who.passwordType]})
print(json.dumps(out))
`;
    const parsed = JSON.parse(await run('/usr/bin/python3', ['-c', script, server.wsdlUrl])) as
      | { skip: string }
      | Array<Record<string, unknown>>;
    if (!Array.isArray(parsed)) {
      console.warn(parsed.skip);
      return;
    }
    expect(parsed).toHaveLength(3);
    expect(parsed.pop()).toEqual({ who: ['usernameToken', 'zed', 'digest'] });
    expect(digestChecks.at(-1)).toEqual({ ok: true });
    for (const row of parsed) {
      expect(row).toMatchObject({ title: 'zeep', priority: 5, priorityType: 'int', price: '12.5', priceType: 'Decimal', rating: null });
      expect(row.created).toMatch(/^2026-01-01T00:00:\d\d\+00:00$/);
      expect(row.revisions).toEqual([[1, 2], [3]]);
      expect(row.tree).toEqual([7, 'root', ['root.a', 'root.b'], [2, 2]]);
      expect(row.fault).toEqual([expect.stringMatching(/Client|Sender/), 'Slow down']);
    }
  });
});
