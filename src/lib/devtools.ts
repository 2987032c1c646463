// Whether this build carries the test and debug hooks (window.__earshot…, ?fault= switches, ?stream=): the dev server
// and `vite build --mode test` (the e2e preview) do; a production build does not, and scripts/check-bundle.mjs checks
// that the built files hold none of them. A compile-time constant, so the bundler drops every guarded branch.
export const DEVTOOLS: boolean = import.meta.env.DEV || import.meta.env.MODE === 'test';
