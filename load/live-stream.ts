// A minimal EventSource for Node (fetch + a Server-Sent Events parser): what the benchmark's devices listen with.

export interface LiveStream {
  /** Resolves with the cursor of `ready`. */
  ready: Promise<string>
  close(): void
}

/** Opens GET `url` as an event stream; `onChanged` gets the cursor of each `changed` event. */
export function openLiveStream(url: string, cookie: string, onChanged: (cursor: string) => void): LiveStream {
  const abort = new AbortController()
  let resolveReady!: (cursor: string) => void
  let rejectReady!: (error: unknown) => void
  const ready = new Promise<string>((resolve, reject) => {
    resolveReady = resolve
    rejectReady = reject
  })
  const dispatch = (block: string) => {
    let event = 'message'
    let data = ''
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim()
      else if (line.startsWith('data:')) data += line.slice(5).trim()
    }
    if (event !== 'ready' && event !== 'changed') return
    const { cursor } = JSON.parse(data) as { cursor: string }
    if (event === 'ready') resolveReady(cursor)
    else onChanged(cursor)
  }
  void (async () => {
    try {
      const response = await fetch(url, {
        headers: { cookie, accept: 'text/event-stream' },
        signal: abort.signal,
      })
      if (response.status !== 200 || !response.body)
        throw new Error(`GET ${url} answered ${response.status}: ${await response.text()}`)
      const decoder = new TextDecoder()
      let buffer = ''
      const reader = response.body.getReader()
      for (;;) {
        const { done, value: chunk } = await reader.read()
        if (done) break
        buffer += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end))
          buffer = buffer.slice(end + 2)
        }
      }
    } catch (error) {
      rejectReady(error)
    }
  })()
  return { ready, close: () => abort.abort() }
}
