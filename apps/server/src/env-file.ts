import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's `.env` (copy `.env.example`); gitignored and kept out of the Docker image. */
export const defaultEnvFile = join(resolve(dirname(fileURLToPath(import.meta.url)), '../../..'), '.env')

/**
 * Reads `path` into `process.env` when the file exists (Node's own parser, `process.loadEnvFile`). Variables
 * already set in the environment win, so `PORT=4000 npm start` still beats the file, and a deployment that sets
 * everything in its environment needs no file. Returns whether a file was read.
 */
export function loadEnvFile(path: string = defaultEnvFile): boolean {
  if (!existsSync(path)) return false
  process.loadEnvFile(path)
  return true
}
