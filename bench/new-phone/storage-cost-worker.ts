/**
 * The storage-cost page's worker: fetches and parses a full answer off the main thread, then posts the records
 * back or stores them itself (bare stores, one transaction), as a transport running in a worker could.
 */
export interface WorkerJob {
  then: 'post' | 'store'
  url: string
  name: string
  spec: { parent: { plural: string }; child: { plural: string } }
}

type ServerRecord = Record<string, unknown>

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<WorkerJob>) => void) | null
  postMessage(message: unknown): void
}

function store(job: WorkerJob, body: Record<string, ServerRecord[]>): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(job.name, 1)
    open.onupgradeneeded = () => {
      open.result.createObjectStore(job.spec.parent.plural, { keyPath: 'uid' })
      open.result.createObjectStore(job.spec.child.plural, { keyPath: 'uid' })
    }
    open.onerror = () => reject(open.error ?? new Error('open failed'))
    open.onsuccess = () => {
      const db = open.result
      const tables = [job.spec.parent.plural, job.spec.child.plural]
      const tx = db.transaction(tables, 'readwrite')
      let stored = 0
      for (const table of tables) {
        const records = body[table === job.spec.parent.plural ? 'companies' : 'contacts'] ?? []
        const target = tx.objectStore(table)
        for (const r of records) target.put(r)
        stored += records.length
      }
      tx.oncomplete = () => {
        db.close()
        resolve(stored)
      }
      tx.onerror = () => reject(tx.error ?? new Error('transaction failed'))
    }
  })
}

scope.onmessage = (event) => {
  const job = event.data
  void (async () => {
    try {
      const body = (await (await fetch(job.url)).json()) as Record<string, ServerRecord[]>
      if (job.then === 'post') scope.postMessage({ body })
      else scope.postMessage({ stored: await store(job, body) })
    } catch (error) {
      scope.postMessage({ error: error instanceof Error ? error.message : String(error) })
    }
  })()
}
