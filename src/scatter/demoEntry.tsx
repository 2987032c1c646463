// Entry for src/scatter/demo.html (dev server only, not part of the app build); must not be imported by app code.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ScatterDemo } from './demo.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('demo.html has no #root');
// StrictMode on purpose: it mounts effects twice, which catches leaked listeners, controls and window hooks.
createRoot(root).render(
  <StrictMode>
    <ScatterDemo />
  </StrictMode>,
);
