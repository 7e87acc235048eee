/**
 * The server's CSP (script-src 'self') forbids eval. Zod v4 otherwise probes for it with `Function('')` the first
 * time it parses (to JIT-compile schemas), which the browser reports as a CSP violation: it must run jitless.
 *
 * Zod keeps its settings in `globalThis.__zod_globalConfig`, which it creates only when absent, so the setting is
 * written there (before or after zod loads) without loading zod: importing zod's `config` here put zod's core on the first screen (db.ts
 * imports this file), about 6 KB of JavaScript that only the lazy sync engine uses. configure-zod.test.ts checks
 * that zod still reads this object, on every zod upgrade.
 */
interface ZodScope {
  __zod_globalConfig?: { jitless?: boolean }
}

export function makeZodJitless(scope: ZodScope = globalThis as ZodScope): void {
  // In place when zod got there first: it holds on to the object it created.
  ;(scope.__zod_globalConfig ??= {}).jitless = true
}

makeZodJitless()
