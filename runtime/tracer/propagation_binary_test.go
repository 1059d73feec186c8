package tracer

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/tracegen/tracegen/runtime/internal/deep"
)

func TestBinaryRoundTrip(t *testing.T) {
	t.Parallel()
	for name, sc := range roundTripContexts(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := DecodeBinary(EncodeBinary(sc))
			if err != nil {
				t.Fatal(err)
			}
			if diff := deep.Diff(viewOf(sc), viewOf(got)); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBinaryEncodeLimits(t *testing.T) {
	t.Parallel()
	var sc SpanContext
	for i := range 70 {
		sc = sc.WithBaggage(fmt.Sprintf("k%02d", i), "v")
	}
	sc = sc.WithBaggage("", "empty key").WithBaggage("k00", strings.Repeat("x", maxBaggageBytes))
	sc.TraceState = strings.Repeat("a", maxTraceStateInput+1)
	got, err := DecodeBinary(EncodeBinary(sc))
	if err != nil {
		t.Fatal(err)
	}
	want := scView{TraceID: zeroTrace, SpanID: zeroSpan, Baggage: map[string]string{}}
	for i := 1; i <= 64; i++ { // k00 is too big, the empty key is skipped
		want.Baggage[fmt.Sprintf("k%02d", i)] = "v"
	}
	if diff := deep.Diff(want, viewOf(got)); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
}

func TestBinaryDecodeCorrupted(t *testing.T) {
	t.Parallel()
	valid := EncodeBinary(mustSC(t, specTrace, specSpan, FlagSampled).WithBaggage("k", "v"))
	fixed := valid[:binaryFixedLen]
	with := func(parts ...[]byte) []byte {
		b := append([]byte(nil), fixed...)
		for _, p := range parts {
			b = append(b, p...)
		}
		return b
	}
	uv := func(n uint64) []byte { return binary.AppendUvarint(nil, n) }
	item := func(k, v string) []byte {
		b := append(uv(uint64(len(k))), k...)
		return append(append(b, uv(uint64(len(v)))...), v...)
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"version 0", append([]byte{0}, valid[1:]...)},
		{"version 2", append([]byte{2}, valid[1:]...)},
		{"short", valid[:binaryFixedLen-1]},
		{"no trace state length", fixed},
		{"no baggage count", with(uv(0))},
		{"trace state longer than the input", with(uv(5), []byte("ab"))},
		{"trace state over the limit", with(uv(maxTraceStateInput + 1))},
		{"huge trace state length", with(uv(1<<62), []byte("ab"))},
		{"bad uvarint", with([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})},
		{"65 items claimed", with(uv(0), uv(65))},
		{"huge count claimed", with(uv(0), uv(1<<40))},
		{"fewer items than claimed", with(uv(0), uv(2), item("k", "v"))},
		{"empty key", with(uv(0), uv(1), item("", "v"))},
		{"duplicate key", with(uv(0), uv(2), item("k", "v"), item("k", "w"))},
		{"value over the byte limit", with(uv(0), uv(1), item("k", strings.Repeat("x", maxBaggageBytes)))},
		{"trailing bytes", append(append([]byte(nil), valid...), 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := DecodeBinary(tc.in)
			if diff := deep.Diff("corrupted", errName(err)); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if diff := deep.Diff(viewOf(SpanContext{}), viewOf(got)); diff != "" {
				t.Errorf("context on error (-want +got):\n%s", diff)
			}
		})
	}
}
