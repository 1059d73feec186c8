//go:build race

package tracer

// raceEnabled: the race detector drops sync.Pool items at random on
// purpose, so assertions that need a pooled SpanData back do not hold.
const raceEnabled = true
