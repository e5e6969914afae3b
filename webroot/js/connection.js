// The one EventSource. The browser reconnects by itself after a dropped connection (the server
// asks for a 2 s retry); when it gives up (an error answer closes the source), a new one is opened
// after a back-off of 1 s doubling to 30 s. A source that is open but silent for longer than the
// server ever stays quiet (it pushes at least once a minute) is replaced too. Never reloads the page.

const WATCHDOG_MS = 150_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * The snapshot's sections that travel as events of their own (CONTRACT section 6): sent on connect
 * and when they change; a section sent as null is gone.
 */
export const SECTIONS = ['phases', 'breakdowns', 'experiments', 'counters', 'previous'];

/**
 * Opens the stream. Handlers: snapshot(json), section(name, json), alert(json), annotation(json),
 * state('live' | 'reconnecting'), opened() after each (re)connection, refused() when the server
 * answered but not with a stream.
 */
export function openStream(url, handlers) {
  let source = null;
  let attempts = 0;
  let lastEventAt = Date.now();
  let state = 'connecting';

  const setState = (s) => {
    if (s !== state) {
      state = s;
      handlers.state(s);
    }
  };

  function start() {
    const es = new EventSource(url, { withCredentials: true });
    source = es;
    es.addEventListener('open', () => {
      attempts = 0;
      lastEventAt = Date.now();
      handlers.opened();
    });
    es.addEventListener('snapshot', (e) => {
      lastEventAt = Date.now();
      setState('live');
      handlers.snapshot(JSON.parse(e.data));
    });
    for (const name of SECTIONS) {
      es.addEventListener(name, (e) => {
        lastEventAt = Date.now();
        handlers.section?.(name, JSON.parse(e.data));
      });
    }
    es.addEventListener('alert', (e) => {
      lastEventAt = Date.now();
      handlers.alert(JSON.parse(e.data));
    });
    es.addEventListener('annotation', (e) => {
      lastEventAt = Date.now();
      handlers.annotation?.(JSON.parse(e.data));
    });
    es.addEventListener('error', () => {
      if (source !== es) return;
      setState('reconnecting');
      if (es.readyState === EventSource.CLOSED) {
        // an answer other than a stream (a proxy's 502, a 401 after the login expired)
        handlers.refused?.();
        restartLater();
      }
    });
  }

  function restartLater() {
    if (source) source.close();
    source = null;
    const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempts++);
    setTimeout(start, base * (0.75 + Math.random() * 0.5));
  }

  setInterval(() => {
    if (source && source.readyState === EventSource.OPEN && Date.now() - lastEventAt > WATCHDOG_MS) {
      setState('reconnecting');
      restartLater();
    }
  }, 15_000);

  start();
}
