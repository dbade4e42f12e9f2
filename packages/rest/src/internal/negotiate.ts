/** Whether an `Accept` header admits a JSON response (`application/json`, `application/*`, `*\/*`). */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  for (const part of accept.split(',')) {
    const semi = part.indexOf(';');
    const range = (semi === -1 ? part : part.slice(0, semi)).trim().toLowerCase();
    if (range !== 'application/json' && range !== 'application/*' && range !== '*/*') continue;
    if (semi === -1) return true;
    let q = 1;
    for (const param of part.slice(semi + 1).split(';')) {
      const eq = param.indexOf('=');
      if (eq !== -1 && param.slice(0, eq).trim().toLowerCase() === 'q') q = Number(param.slice(eq + 1).trim());
    }
    if (q > 0) return true;
  }
  return false;
}
