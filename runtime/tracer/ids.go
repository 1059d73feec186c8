package tracer

import "math/rand/v2"

// IDGenerator makes trace and span ids. Implementations must be safe for
// concurrent use and never return all-zero ids.
type IDGenerator interface {
	// NewIDs returns the ids of a new trace's root span.
	NewIDs() (TraceID, SpanID)
	// NewSpanID returns the id of a new span in trace traceID.
	NewSpanID(traceID TraceID) SpanID
}

// RandomIDs is implemented by id generators whose trace ids are random in
// their right-most 7 bytes, so that the tracer sets FlagRandom (W3C Trace
// Context Level 2) on the traces they start.
type RandomIDs interface {
	RandomTraceIDs() bool
}

// randomIDs is the default generator. It draws from math/rand/v2's global
// source, which is the Go runtime's per-thread ChaCha8 generator seeded
// from the operating system's entropy: unpredictable, lock-free and a few
// nanoseconds per call.
type randomIDs struct{}

func (randomIDs) NewIDs() (TraceID, SpanID) {
	var t TraceID
	var s SpanID
	for !t.IsValid() {
		putUint64(t[:8], rand.Uint64())
		putUint64(t[8:], rand.Uint64())
	}
	for !s.IsValid() {
		putUint64(s[:], rand.Uint64())
	}
	return t, s
}

func (randomIDs) NewSpanID(TraceID) SpanID {
	var s SpanID
	for !s.IsValid() {
		putUint64(s[:], rand.Uint64())
	}
	return s
}

func (randomIDs) RandomTraceIDs() bool { return true }

func putUint64(b []byte, v uint64) {
	_ = b[7]
	b[0] = byte(v >> 56)
	b[1] = byte(v >> 48)
	b[2] = byte(v >> 40)
	b[3] = byte(v >> 32)
	b[4] = byte(v >> 24)
	b[5] = byte(v >> 16)
	b[6] = byte(v >> 8)
	b[7] = byte(v)
}
