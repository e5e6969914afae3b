// Writers that touch the DOM only when the value differs from the last one written, so a snapshot
// four times a second costs nothing where nothing changed. The last value is kept on the element.

const LAST = Symbol('last');

/** Sets an element's text content if it changed. */
export function text(el, value) {
  const v = value == null ? '' : String(value);
  const last = el[LAST] || (el[LAST] = {});
  if (last.text !== v) {
    last.text = v;
    el.textContent = v;
  }
}

/** Sets (or removes, for null) an attribute if it changed. */
export function attr(el, name, value) {
  const v = value == null ? null : String(value);
  const last = el[LAST] || (el[LAST] = {});
  const key = '@' + name;
  if (last[key] !== v) {
    last[key] = v;
    if (v == null) el.removeAttribute(name);
    else el.setAttribute(name, v);
  }
}

/** Sets one inline style property if it changed (transform or width of bars, for example). */
export function style(el, prop, value) {
  const last = el[LAST] || (el[LAST] = {});
  const key = '$' + prop;
  if (last[key] !== value) {
    last[key] = value;
    el.style.setProperty(prop, value);
  }
}

export function hidden(el, isHidden) {
  const last = el[LAST] || (el[LAST] = {});
  if (last.hidden !== isHidden) {
    last.hidden = isHidden;
    el.hidden = isHidden;
  }
}

/** Element with class and optional data-field, for building rows once. */
export function make(tag, className, field) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (field) el.dataset.field = field;
  return el;
}

/** The descendants with data-field, by name. */
export function fields(root) {
  const out = {};
  for (const el of root.querySelectorAll('[data-field]')) out[el.dataset.field] = el;
  return out;
}

/**
 * Keeps a container's children in the order of `keys`, making a row per new key with `build(key)`
 * (which answers an object whose `el` is the row element) and dropping rows whose key is gone.
 * Moves nodes only when the order changed. Answers the row objects by key.
 */
export function keyedRows(container, keys, build) {
  const rows = container[LAST]?.rows || new Map();
  for (const [k, row] of rows) {
    if (!keys.includes(k)) {
      row.el.remove();
      rows.delete(k);
    }
  }
  let changed = false;
  for (const k of keys) {
    if (!rows.has(k)) {
      rows.set(k, build(k));
      changed = true;
    }
  }
  const order = keys.join('\u0000');
  const last = container[LAST] || (container[LAST] = {});
  if (changed || last.order !== order) {
    last.order = order;
    for (const k of keys) container.append(rows.get(k).el);
  }
  last.rows = rows;
  return rows;
}

/** Whether a render with these changes concerns a widget that listens to `keys`. */
export function touches(changed, ...keys) {
  if (changed.has('all') || changed.has('lang')) return true;
  for (const k of keys) if (changed.has(k)) return true;
  return false;
}
