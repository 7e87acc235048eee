// The protocol runs in browsers and in Node, so it is checked with ECMAScript's library only (no DOM, no Node
// types: decision 013). The one host global it uses is WHATWG URL (field-rules.ts, to check an http(s) address),
// which both hosts provide; this declares the part of it the protocol reads.
declare class URL {
  constructor(input: string, base?: string)
  readonly protocol: string
}
