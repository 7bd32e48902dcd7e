// Package webapi gives an isolate the Web platform a worker expects —
// Request, Response, Headers, URL, TextEncoder/TextDecoder, atob/btoa,
// console, crypto, structuredClone, queueMicrotask, Blob/FormData, a minimal
// ReadableStream, AbortController, events — and the glue that hands a host
// HTTP request to the worker's fetch handler and takes its Response back.
//
// Most classes are written in JavaScript (js/prelude.js, compiled once per
// process) over a few Go natives for bytes, randomness and hashing; that keeps
// the spec-shaped logic readable and makes a request cheap: headers arrive as
// one string and are split only if the script reads them.
package webapi
