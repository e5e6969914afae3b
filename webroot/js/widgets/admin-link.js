// A link to the plan editor, shown to admins only (GET api/v1/session), never on a wall screen.
import { getJson } from '../api.js';

export async function show(tv) {
  const link = document.querySelector('[data-field="planLink"]');
  if (!link || tv) return;
  try {
    const s = await getJson('api/v1/session');
    link.hidden = !(s && s.admin);
  } catch {
    link.hidden = true; // an older server, or signed out: no link
  }
}
