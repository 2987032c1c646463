// The composition root: reads the page's URL into the frozen runtime flags (the only place that parses them), sets
// the stores' starting values from them, and mounts the app shell.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { installRuntimeFlags, parseRuntimeFlags } from './lib/runtimeFlags.ts';
import { useStore } from './state/store.ts';
import { App } from './ui/App.tsx';
import './ui/styles.css';

const flags = parseRuntimeFlags(location.search);
installRuntimeFlags(flags);
useStore.setState({ backendPreference: flags.backend });

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
