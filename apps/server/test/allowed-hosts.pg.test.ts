import { request } from 'node:http'
import { networkInterfaces } from 'node:os'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { testDatabaseKinds } from '@offline-sync/db/testing'
import {
  startTestServer,
  TEST_PASSWORD,
  type TestServer,
  type TestServerOptions,
} from './start-test-server.ts'

// Each test starts a server on a fresh database: slow on a busy machine, however correct.
vi.setConfig({ testTimeout: 180_000, hookTimeout: 180_000 })

/** fetch() always sends the URL's own Host; a rebinding page's browser sends the attacker's name. */
function send(
  url: string,
  options: { method?: string; path: string; host: string; headers?: Record<string, string>; body?: unknown },
): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const target = new URL(url)
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: {
          host: options.host,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }))
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

const setupAs = (server: TestServer, host: string, headers: Record<string, string> = {}) =>
  send(server.url, {
    method: 'POST',
    path: '/api/setup',
    host,
    headers: { origin: `http://${host}`, ...headers },
    body: { email: 'first@example.test', password: TEST_PASSWORD },
  })

const users = async (server: TestServer) =>
  Number((await server.db.sql.query<{ n: string }>('SELECT count(*)::text AS n FROM "User"'))[0]?.n)

describe.each(testDatabaseKinds())('allowed hosts on %s', (kind) => {
  let server: TestServer
  afterEach(async () => {
    await server?.close()
  })
  const start = async (options: TestServerOptions = {}) => (server = await startTestServer(kind, options))
  const port = () => new URL(server.url).port

  it('rule S2: DNS rebinding — setup from a page on attacker.example is refused 421 and creates no account', async () => {
    await start()
    const res = await setupAs(server, `attacker.example:${port()}`)
    expect(res.status).toBe(421)
    expect(res.body.error).toMatchObject({
      code: 'forbidden',
      message: /does not serve the host "attacker\.example"/,
    })
    expect(await users(server)).toBe(0)
    // Sign-in and reads too: the whole server, not only setup.
    for (const path of ['/api/auth/sign-in', '/api/health', '/api/setup', '/'])
      expect((await send(server.url, { path, host: 'attacker.example' })).status).toBe(421)
  })

  it('rule S2: a trusted proxy forwarding X-Forwarded-Host: attacker.example is refused the same way', async () => {
    await start()
    const res = await setupAs(server, `127.0.0.1:${port()}`, { 'x-forwarded-host': 'attacker.example' })
    expect(res.status).toBe(421)
    expect(await users(server)).toBe(0)
  })

  it('rule S2: a Host that is no host name (user info, a path, empty) is refused', async () => {
    await start()
    for (const host of [`127.0.0.1@attacker.example`, 'localhost/x', 'a b', '-bad-.example'])
      expect((await send(server.url, { path: '/api/health', host })).status, host).toBe(421)
  })

  it('rule S2: localhost, the loopback addresses and the machine’s interface addresses are served by default', async () => {
    await start()
    const hosts = ['localhost', `localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`, 'LOCALHOST.']
    const lan = Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .find((entry) => !entry.internal && entry.family === 'IPv4')
    if (lan) hosts.push(`${lan.address}:${port()}`)
    for (const host of hosts)
      expect((await send(server.url, { path: '/api/health', host })).status, host).toBe(200)
    const setup = await setupAs(server, `localhost:${port()}`)
    expect(setup.status).toBe(201)
  })

  it('rule S2: a name from PUBLIC_URL / ALLOWED_HOSTS is served (e.g. behind a TLS proxy)', async () => {
    await start({ allowedHosts: ['contacts.example.com'] })
    expect((await send(server.url, { path: '/api/health', host: 'contacts.example.com' })).status).toBe(200)
    expect((await send(server.url, { path: '/api/health', host: 'other.example.com' })).status).toBe(421)
    const setup = await setupAs(server, `contacts.example.com:${port()}`)
    expect(setup.status).toBe(201)
  })
})
