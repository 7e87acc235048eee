import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * What the proxy does with each connection:
 * - `pass`: forwards both ways, byte for byte;
 * - `drop-responses`: forwards the client's bytes to the target but throws away everything the target answers and,
 *   at its first byte, resets the client's connection — the request arrived and was processed, its answer is lost;
 * - `refuse`: accepts and at once resets the connection, as a network path that is down would.
 */
export type ProxyMode = 'pass' | 'drop-responses' | 'refuse'

export interface TcpProxy {
  /** The loopback port clients connect to. */
  port: number
  mode: ProxyMode
  /** Sets the mode for new connections; `refuse` also resets every open connection (a cut cable). */
  setMode(mode: ProxyMode): void
  /** Connections whose answer was thrown away in `drop-responses` mode. */
  droppedResponses: number
  close(): Promise<void>
}

/**
 * A loopback TCP proxy in front of `target`: a true network boundary the tests can break (between a device and
 * the server, or between the server and Postgres) without touching either side's code.
 */
export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const open = new Set<Socket>()
  const track = (socket: Socket) => {
    open.add(socket)
    socket.once('close', () => open.delete(socket))
  }

  const proxy: TcpProxy = {
    port: 0,
    mode: 'pass',
    droppedResponses: 0,
    setMode(mode) {
      proxy.mode = mode
      if (mode === 'refuse') for (const socket of open) socket.resetAndDestroy()
    },
    close: async () => {
      for (const socket of open) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }

  const server: Server = createServer((client) => {
    track(client)
    client.on('error', () => {})
    if (proxy.mode === 'refuse') {
      client.resetAndDestroy()
      return
    }
    const upstream = connect({ host: target.host ?? '127.0.0.1', port: target.port })
    track(upstream)
    upstream.on('error', () => client.destroy())
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
    client.pipe(upstream)
    // The mode is read per chunk, not per connection: an HTTP client reuses kept-alive connections.
    upstream.on('data', (chunk: Buffer) => {
      if (proxy.mode === 'pass') {
        client.write(chunk)
        return
      }
      // The target has started answering, so it has done its work: the client never hears of it.
      if (proxy.mode === 'drop-responses') proxy.droppedResponses++
      client.resetAndDestroy()
      upstream.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  proxy.port = typeof address === 'object' && address ? address.port : 0
  return proxy
}
