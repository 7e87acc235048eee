/**
 * A tiny HTTP server on 127.0.0.1 (random port) serving the bench page and the prepared response bodies
 * from memory. Chromium needs a real origin for IndexedDB; nothing here is reachable from outside the machine.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PageBundle } from './build-page.ts'

export interface StaticServer {
  url: string
  /** Makes `/data/<name>.json` answer with `body`. */
  setData(name: string, body: string): void
  clearData(): void
  close(): Promise<void>
}

export async function startStaticServer(page: PageBundle): Promise<StaticServer> {
  const data = new Map<string, string>()
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    const send = (type: string, body: string) => {
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' })
      res.end(body)
    }
    if (path === '/') return send('text/html; charset=utf-8', page.html)
    if (path === '/bench-page.js') return send('text/javascript; charset=utf-8', page.script)
    const match = /^\/data\/([\w-]+)\.json$/.exec(path)
    const body = match?.[1] ? data.get(match[1]) : undefined
    if (body !== undefined) return send('application/json', body)
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    setData: (name, body) => void data.set(name, body),
    clearData: () => data.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}
