/** What an attention item asks of the page around it. */
export interface AttentionHandlers {
  /** Runs a one-tap action; `done` is announced when it succeeds, the error when it fails. */
  run: (action: () => Promise<unknown>, done: string) => void
  /** Asks before throwing anything away: `what` lists exactly what is lost. */
  confirmDiscard: (what: string, action: () => Promise<unknown>) => void
}
