/** Minimal shape of a V8 `.cpuprofile` (what `node --cpu-prof` writes). */
export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalUs: number;
  /** Sampled time minus `(idle)`: what the shares are relative to. */
  busyUs: number;
  /** Self time by the owner of the frame itself. */
  owners: Array<{ owner: string; us: number; share: number }>;
  /**
   * Self time charged to the nearest caller that is not node/V8 internals: `createAbortSignal` called by
   * tRPC's adapter counts as `@trpc/server`. Event-loop work with no such caller stays `node internals`.
   */
  attributed: Array<{ owner: string; us: number; share: number }>;
  functions: Array<{ name: string; where: string; us: number; share: number }>;
}

/**
 * Who owns a frame, from its script URL: our workspaces by name, dependencies by package, node's own
 * code, and V8 pseudo-frames (GC, idle, program).
 *
 * @example
 * ownerOf('file:///work/main/node_modules/@trpc/server/dist/x.mjs', 'f'); // '@trpc/server'
 */
export function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? `v8 ${functionName}` : 'native';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? 'dependency');
  }
  const ours = /\/(apps\/[^/]+|packages\/[^/]+|bench)\/src\/(.*)$/.exec(url);
  if (ours) return `ours: ${ours[1]}${ours[1] === 'apps/api' || ours[1] === 'packages/core' ? `/${ours[2]?.split('/')[0]}` : ''}`;
  return url;
}

/**
 * Self time per function and per owner from a V8 CPU profile (sample counts × time deltas), as shares of
 * the busy (non-idle) time.
 *
 * @example
 * summarizeProfile(profile, 20).owners[0]; // { owner: '@trpc/server', us: 812000, share: 0.31 }
 */
export function summarizeProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = Math.max(0, profile.timeDeltas[i] ?? 0);
    self.set(id, (self.get(id) ?? 0) + dt);
    totalUs += dt;
  });
  const owners = new Map<string, number>();
  const attributed = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; us: number }>();
  let idleUs = 0;
  for (const [id, us] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const owner = ownerOf(url, functionName);
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    let charged = owner;
    for (let at: number | undefined = id; at !== undefined && (charged === 'node internals' || charged === 'native'); ) {
      at = parent.get(at);
      const up = at === undefined ? undefined : byId.get(at);
      if (!up) break;
      const o = ownerOf(up.callFrame.url, up.callFrame.functionName);
      if (o !== 'node internals' && o !== 'native' && !o.startsWith('v8 ')) charged = o;
    }
    attributed.set(charged, (attributed.get(charged) ?? 0) + us);
    const where = url ? `${url.replace(/^file:\/\/.*?\/(node_modules|apps|packages|bench)\//, '$1/')}:${lineNumber + 1}` : '';
    const key = `${functionName}@${where}`;
    const f = functions.get(key) ?? { name: functionName || '(anonymous)', where, us: 0 };
    f.us += us;
    functions.set(key, f);
  }
  const busyUs = totalUs - idleUs;
  const share = (us: number) => (busyUs > 0 ? us / busyUs : 0);
  const ranked = (m: Map<string, number>) => [...m].map(([owner, us]) => ({ owner, us, share: share(us) })).sort((a, b) => b.us - a.us);
  return {
    totalUs,
    busyUs,
    owners: ranked(owners),
    attributed: ranked(attributed),
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ ...f, share: share(f.us) })),
  };
}
