// Types for eslint.boundaries.js (a plain ES module, because ESLint loads its config without a TypeScript loader).
import type { Linter } from 'eslint'

export declare const boundaries: Linter.Config[]
