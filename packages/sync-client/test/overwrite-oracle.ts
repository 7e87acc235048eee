import { expect } from 'vitest'
import type { CompaniesContacts, SyncRequest, SyncResponse } from '@offline-sync/sync-protocol'
import {
  overwriteProblems,
  type AppliedSync,
  type DeviceOverwrites,
} from '@offline-sync/test-support/overwrite-oracle'
import { listOverwrites } from '../src/overwrite-notices.ts'
import { serverRows, type makeSyncedDevice, type TestServer } from './round-trip-harness.ts'

/**
 * Records every request the server applied (not replays), to check issue 14's property independently of the
 * engine (`overwriteProblems`, shared with the fault tests): a field value written by an acknowledged sync is lost
 * only when a later write to the same field replaced it, and every replacement of another device's value written
 * after the writer's base is reported to both devices (rules M3–M5, M7), never as a different value.
 */
export function overwriteOracle(server: TestServer) {
  const log: AppliedSync[] = []
  /** Every answer the engine gave, replays and answers the wire then lost included: none may contradict the log. */
  const answered: { request: SyncRequest<CompaniesContacts>; response: SyncResponse<CompaniesContacts> }[] =
    []
  const recording: TestServer = {
    ...server,
    engine: {
      ...server.engine,
      sync: async (request) => {
        const response = await server.engine.sync(request)
        answered.push({ request, response })
        if (!response.replayed) log.push({ request, response })
        return response
      },
    },
  }

  return {
    server: recording,
    /** After the devices settled: the server holds each field's last write, and each device was told exactly the overwrites. */
    async check(devices: ReturnType<typeof makeSyncedDevice>[]) {
      const told: DeviceOverwrites[] = []
      for (const d of devices) {
        const deviceId = ((await d.db.meta.get('deviceId'))?.value as string | undefined) ?? ''
        told.push({
          label: d.db.name,
          deviceId,
          kept: await listOverwrites(d.db),
          reported: answered
            .filter((a) => a.request.deviceId === deviceId)
            .flatMap(({ response }) => [
              ...response.overwrites.map((o) => ({ ...o, side: 'mine' as const })),
              ...response.overwritten.map((o) => ({ ...o, side: 'theirs' as const })),
            ]),
        })
      }
      expect(overwriteProblems(log, await serverRows(server), told)).toEqual([])
    },
  }
}
