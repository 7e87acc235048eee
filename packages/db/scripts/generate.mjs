// Generates the Prisma client without the CLI's native schema engine: generation never runs the engine,
// but the CLI insists on finding a binary, and downloading one is impossible offline. Point it at a placeholder.
import { spawnSync } from 'node:child_process'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const placeholder = join(mkdtempSync(join(tmpdir(), 'prisma-engine-')), 'schema-engine')
writeFileSync(placeholder, '')
const result = spawnSync(
  'npx',
  ['--yes', 'prisma', 'generate', '--schema', join(root, 'prisma/schema.prisma')],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: placeholder,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  },
)
process.exit(result.status ?? 1)
