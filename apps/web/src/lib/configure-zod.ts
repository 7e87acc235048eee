import { config } from 'zod'

// The server's CSP (script-src 'self') forbids eval. Zod v4 otherwise probes for it with `Function('')` the
// first time it parses (to JIT-compile schemas), which the browser reports as a CSP violation.
// Imported first by main.tsx, before anything can parse.
config({ jitless: true })
