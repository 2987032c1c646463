// The e2e servers' addresses. EARSHOT_E2E_PORT moves them all (parallel checkouts must not share ports).
const base = Number(process.env['EARSHOT_E2E_PORT'] ?? 5173);

/** The dev server with YAMNet (when ../shared exists). */
export const APP_URL = `http://127.0.0.1:${base}`;
/** A dev server that sees no models folder: a fresh clone without ../shared. */
export const NO_SHARED_URL = `http://127.0.0.1:${base + 1}`;
/** The production build behind `vite preview`. */
export const PREVIEW_URL = `http://127.0.0.1:${base + 2}`;
export const PORTS = { app: base, noShared: base + 1, preview: base + 2 };
