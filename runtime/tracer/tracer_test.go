package tracer

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
)

func TestInjectExtractRoundTrip(t *testing.T) {
	t.Parallel()
	tr := New()
	sp := tr.StartSpan("op").SetBaggageItem("user", "ann")
	want := ctxOf(sp)
	carriers := []struct {
		name   string
		format tracegen.BuiltinFormat
		in     any
		out    func(any) any
	}{
		{"TextMap map", tracegen.TextMap, map[string]string{}, func(c any) any { return c }},
		{"TextMap carrier", tracegen.TextMap, tracegen.TextMapCarrier{}, func(c any) any { return c }},
		{"HTTP header", tracegen.HTTPHeaders, http.Header{}, func(c any) any { return c }},
		{"HTTP carrier", tracegen.HTTPHeaders, tracegen.HTTPHeadersCarrier{}, func(c any) any { return c }},
		{"Binary", tracegen.Binary, new(bytes.Buffer), func(c any) any { return c }},
	}
	for _, c := range carriers {
		t.Run(c.name, func(t *testing.T) {
			if err := tr.Inject(sp.Context(), c.format, c.in); err != nil {
				t.Fatalf("Inject: %v", err)
			}
			sc, err := tr.Extract(c.format, c.out(c.in))
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			got, ok := sc.(*SpanContext)
			if !ok {
				t.Fatalf("Extract returned %T, want *SpanContext", sc)
			}
			if got.TraceID != want.TraceID || got.SpanID != want.SpanID || got.Flags != want.Flags || !got.Remote || got.Baggage("user") != "ann" {
				t.Errorf("extracted %+v, want ids and flags of %+v, Remote, baggage user=ann", *got, want)
			}
			child := tr.StartSpan("child", tracegen.ChildOf(sc)).(*span)
			if child.data.Parent.SpanID != want.SpanID || !child.data.Parent.Remote || child.BaggageItem("user") != "ann" {
				t.Errorf("child of extracted context: parent %+v", child.data.Parent)
			}
		})
	}
}

func TestInjectExtractErrors(t *testing.T) {
	t.Parallel()
	tr := New()
	sc := tr.StartSpan("op").Context()
	tests := []struct {
		name string
		err  error
		call func() error
	}{
		{"unknown format", tracegen.ErrUnsupportedFormat, func() error { return tr.Inject(sc, "x", tracegen.TextMapCarrier{}) }},
		{"foreign context", tracegen.ErrInvalidSpanContext, func() error {
			return tr.Inject(tracegen.NoopTracer{}.StartSpan("x").Context(), tracegen.TextMap, tracegen.TextMapCarrier{})
		}},
		{"nil context", tracegen.ErrInvalidSpanContext, func() error { return tr.Inject(nil, tracegen.TextMap, tracegen.TextMapCarrier{}) }},
		{"bad text carrier", tracegen.ErrInvalidCarrier, func() error { return tr.Inject(sc, tracegen.TextMap, 42) }},
		{"bad binary carrier", tracegen.ErrInvalidCarrier, func() error { return tr.Inject(sc, tracegen.Binary, tracegen.TextMapCarrier{}) }},
		{"extract unknown format", tracegen.ErrUnsupportedFormat, func() error { _, err := tr.Extract(tracegen.BuiltinFormat(9), nil); return err }},
		{"extract bad carrier", tracegen.ErrInvalidCarrier, func() error { _, err := tr.Extract(tracegen.HTTPHeaders, 42); return err }},
		{"extract empty", tracegen.ErrSpanContextNotFound, func() error { _, err := tr.Extract(tracegen.TextMap, tracegen.TextMapCarrier{}); return err }},
		{"extract empty binary", tracegen.ErrSpanContextNotFound, func() error { _, err := tr.Extract(tracegen.Binary, new(bytes.Buffer)); return err }},
		{"extract oversized binary", tracegen.ErrSpanContextCorrupted, func() error {
			_, err := tr.Extract(tracegen.Binary, strings.NewReader(strings.Repeat("x", maxBinaryCarrier+1)))
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, tt.err) {
				t.Errorf("got %v, want %v", err, tt.err)
			}
		})
	}
}

// fixedPropagator extracts a fixed context, to test how Extract treats
// what a propagator returns.
type fixedPropagator struct {
	sc  SpanContext
	err error
}

func (p fixedPropagator) Inject(SpanContext, tracegen.TextMapWriter) {}
func (p fixedPropagator) Fields() []string                           { return nil }
func (p fixedPropagator) Extract(tracegen.TextMapReader, SpanContext) (SpanContext, error) {
	return p.sc, p.err
}

func TestExtractBaggageOnlyStartsNewTraceWithBaggage(t *testing.T) {
	t.Parallel()
	tr := New(WithPropagator(fixedPropagator{sc: SpanContext{}.WithBaggage("k", "v")}))
	sc, err := tr.Extract(tracegen.TextMap, tracegen.TextMapCarrier{})
	if err != nil {
		t.Fatal(err)
	}
	child := tr.StartSpan("child", tracegen.ChildOf(sc)).(*span)
	if child.data.Parent.IsValid() || !child.sc.IsValid() || child.BaggageItem("k") != "v" {
		t.Errorf("child of baggage-only context: parent %+v, context %+v; want a root with baggage k=v", child.data.Parent, child.sc)
	}
	tr2 := New(WithPropagator(fixedPropagator{err: tracegen.ErrSpanContextCorrupted}))
	if sc, err := tr2.Extract(tracegen.HTTPHeaders, http.Header{}); sc != nil || !errors.Is(err, tracegen.ErrSpanContextCorrupted) {
		t.Errorf("Extract with a failing propagator = %v, %v", sc, err)
	}
}

func TestTracerShutdownStopsExport(t *testing.T) {
	t.Parallel()
	exp := &memExporter{}
	tr := New(WithProcessor(NewBatchProcessor(exp)))
	tr.StartSpan("before").Finish()
	if err := tr.ForceFlush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := tr.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := tr.Shutdown(context.Background()); err != nil {
		t.Errorf("second Shutdown = %v", err)
	}
	tr.StartSpan("after").Finish()
	if spans := exp.Spans(); len(spans) != 1 || spans[0].Name != "before" || !exp.shutdown {
		t.Errorf("exported %v (shutdown %v), want only the span finished before Shutdown", spans, exp.shutdown)
	}
}
