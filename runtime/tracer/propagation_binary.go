package tracer

import (
	"encoding/binary"

	"github.com/tracegen/tracegen/runtime"
)

// binaryVersion is the first byte of the Binary format.
//
// Version 1 is, in order: the version byte; the trace id (16 bytes), the
// span id (8) and the flags (1); the trace state as a uvarint length and
// its bytes (at most maxTraceStateInput); the number of baggage items as a
// uvarint (at most 64), then each item as a uvarint length and bytes for
// the key (not empty, not repeated) and for the value. Keys and values
// together are at most 8192 bytes. Nothing may follow.
const binaryVersion = 1

// binaryFixedLen is the length of the version, ids and flags.
const binaryFixedLen = 1 + 16 + 8 + 1

// EncodeBinary encodes sc in the tracer's Binary format (see
// DecodeBinary). Baggage beyond the limits (64 items, 8192 bytes of keys
// and values, taken in key order) and a trace state longer than the limit
// are left out.
func EncodeBinary(sc SpanContext) []byte {
	ts := sc.TraceState
	if len(ts) > maxTraceStateInput {
		ts = ""
	}
	b := make([]byte, 0, binaryFixedLen+2+len(ts)+1+16*len(sc.baggage))
	b = append(b, binaryVersion)
	b = append(b, sc.TraceID[:]...)
	b = append(b, sc.SpanID[:]...)
	b = append(b, byte(sc.Flags))
	b = binary.AppendUvarint(b, uint64(len(ts)))
	b = append(b, ts...)
	var keys []string
	size := 0
	if len(sc.baggage) > 0 {
		for _, k := range sortedKeys(sc.baggage) {
			n := len(k) + len(sc.baggage[k])
			if len(keys) == maxBaggageMembers || k == "" || size+n > maxBaggageBytes {
				continue
			}
			keys = append(keys, k)
			size += n
		}
	}
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		v := sc.baggage[k]
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	return b
}

// DecodeBinary decodes what EncodeBinary wrote. Any other input, including
// one that breaks a limit or has bytes after the end, is
// runtime.ErrSpanContextCorrupted. Lengths are checked against the input
// before anything is allocated.
func DecodeBinary(b []byte) (SpanContext, error) {
	var sc SpanContext
	if len(b) < binaryFixedLen || b[0] != binaryVersion {
		return SpanContext{}, runtime.ErrSpanContextCorrupted
	}
	copy(sc.TraceID[:], b[1:17])
	copy(sc.SpanID[:], b[17:25])
	sc.Flags = TraceFlags(b[25])
	b = b[binaryFixedLen:]
	ts, b, ok := readBytes(b, maxTraceStateInput)
	if !ok {
		return SpanContext{}, runtime.ErrSpanContextCorrupted
	}
	sc.TraceState = string(ts)
	n, k := binary.Uvarint(b)
	if k <= 0 || n > maxBaggageMembers {
		return SpanContext{}, runtime.ErrSpanContextCorrupted
	}
	b = b[k:]
	if n > 0 {
		sc.baggage = make(map[string]string, n)
	}
	budget := maxBaggageBytes
	for i := uint64(0); i < n; i++ {
		var key, val []byte
		if key, b, ok = readBytes(b, budget); !ok || len(key) == 0 {
			return SpanContext{}, runtime.ErrSpanContextCorrupted
		}
		budget -= len(key)
		if val, b, ok = readBytes(b, budget); !ok {
			return SpanContext{}, runtime.ErrSpanContextCorrupted
		}
		budget -= len(val)
		if _, dup := sc.baggage[string(key)]; dup {
			return SpanContext{}, runtime.ErrSpanContextCorrupted
		}
		sc.baggage[string(key)] = string(val)
	}
	if len(b) != 0 {
		return SpanContext{}, runtime.ErrSpanContextCorrupted
	}
	return sc, nil
}

// readBytes reads a uvarint length of at most limit and that many bytes.
func readBytes(b []byte, limit int) (field, rest []byte, ok bool) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(limit) || n > uint64(len(b)-k) {
		return nil, nil, false
	}
	return b[k : k+int(n)], b[k+int(n):], true
}
