// Reading the API. Paths are relative to the page, so the dashboard also works under a path prefix.

/** GET as JSON. Answers null for 404 (an endpoint this server does not offer); throws otherwise. */
export async function getJson(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store', credentials: 'same-origin' });
  if (r.status === 404) return null;
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}
