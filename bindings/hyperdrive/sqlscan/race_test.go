//go:build race

package sqlscan

// raceEnabled: the race detector makes sync.Pool drop items at random, so
// allocation counts of pooled code are meaningless.
const raceEnabled = true
