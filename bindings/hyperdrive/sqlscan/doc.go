// Package sqlscan is a lexer over PostgreSQL SQL text, run on every query the
// HYPERDRIVE binding sends. It owns three jobs that all need to know where
// string literals, quoted identifiers and comments begin and end:
//
//   - Rewrite turns the statement API's placeholders (?, ?NNN, $N, and ??
//     for a literal ?) into PostgreSQL's $N and reports the arity to bind.
//   - SplitStatements and CountStatements cut a script into statements at
//     the semicolons psql would cut at.
//   - Classify tells the cache and the router what a statement is: its kind,
//     whether it may write (a call to a function not known to be free of
//     side effects counts), whether its result may be cached (Hyperdrive's
//     rule: read-only, no volatile or stable functions), which tables it
//     reads or writes, and whether it may change session state.
//
// The lexer follows PostgreSQL's scan.l with standard_conforming_strings on
// (the default since 9.1): '…' strings double their quotes, E'…' strings
// also take backslash escapes, $tag$…$tag$ bodies end at the same tag, "…"
// identifiers double their quotes, -- comments run to the end of the line and
// /* */ comments nest. It makes one lexical pass over the bytes and allocates only
// what it returns.
//
// Classify is a heuristic over tokens, not a parser. It errs on the safe
// side: anything it does not recognise is reported as a possible write
// touching unknown tables and is never cacheable. What it cannot see at all
// is server-side behaviour: triggers, foreign-key cascades, rules, views over
// other tables and writes to partitions through their parent are not in the
// text, so Tables names only the relations the statement itself names (the
// binding's cache therefore invalidates every read on any write).
package sqlscan
