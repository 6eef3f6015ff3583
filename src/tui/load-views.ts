/**
 * Loads the Ink views on demand, with React's production build: the
 * development build's checks double the CPU time of every frame (measured in
 * docs/dashboard.md). NODE_ENV is set only while the view modules load, and
 * only when the user has not set it, so nothing loaded before or after (the
 * engine, immer, search workers) sees a different environment. Callers load a
 * view before they start any worker.
 */
async function withProductionReact<T>(load: () => Promise<T>): Promise<T> {
  if (process.env.NODE_ENV !== undefined) return load();
  process.env.NODE_ENV = 'production';
  try {
    return await load();
  } finally {
    delete process.env.NODE_ENV;
  }
}

/** The `kvmcheck verify` dashboard. */
export const loadVerifyDashboard = () => withProductionReact(() => import('./render-verify.tsx'));

/** The `kvmcheck check` view of one search. */
export const loadCheckView = () => withProductionReact(() => import('./render-check.tsx'));
