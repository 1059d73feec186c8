package runtime_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// The tests in this file change the global tracer, so none is parallel.

func TestGlobalTracerDefaultsToNoop(t *testing.T) {
	tracegen.ResetGlobalTracer()
	if tracegen.IsGlobalTracerRegistered() {
		t.Error("IsGlobalTracerRegistered = true after ResetGlobalTracer")
	}
	if _, ok := tracegen.CurrentTracer().(tracegen.NoopTracer); !ok {
		t.Errorf("CurrentTracer = %T, want NoopTracer", tracegen.CurrentTracer())
	}
	span := tracegen.GlobalTracer().StartSpan("op")
	if span == nil || span.Context() == nil {
		t.Fatalf("GlobalTracer().StartSpan = %v, want a noop span", span)
	}
	span.Finish()
}

func TestSetGlobalTracer(t *testing.T) {
	tr := installMock(t)
	if !tracegen.IsGlobalTracerRegistered() {
		t.Error("IsGlobalTracerRegistered = false after SetGlobalTracer")
	}
	if got := tracegen.CurrentTracer(); got != tr {
		t.Errorf("CurrentTracer = %v, want the installed tracer", got)
	}
	tracegen.GlobalTracer().StartSpan("via handle").Finish()
	if got := onlyFinished(t, tr).OperationName(); got != "via handle" {
		t.Errorf("finished %q, want via handle", got)
	}
}

func TestSetGlobalTracerRejectsNilAndItself(t *testing.T) {
	tr := installMock(t)
	for name, bad := range map[string]tracegen.Tracer{"nil": nil, "the global handle": tracegen.GlobalTracer()} {
		if err := tracegen.SetGlobalTracer(bad); err == nil {
			t.Errorf("SetGlobalTracer(%s) = nil, want an error", name)
		}
		if got := tracegen.CurrentTracer(); got != tr {
			t.Errorf("after SetGlobalTracer(%s) CurrentTracer = %v, want the tracer installed before", name, got)
		}
		if !tracegen.IsGlobalTracerRegistered() {
			t.Errorf("after SetGlobalTracer(%s) IsGlobalTracerRegistered = false", name)
		}
	}
}

func TestSetGlobalTracerNoopIsRegisteredButRecordsNothing(t *testing.T) {
	tracegen.ResetGlobalTracer()
	t.Cleanup(tracegen.ResetGlobalTracer)
	if err := tracegen.SetGlobalTracer(tracegen.NoopTracer{}); err != nil {
		t.Fatal(err)
	}
	if !tracegen.IsGlobalTracerRegistered() {
		t.Error("IsGlobalTracerRegistered = false after installing a NoopTracer")
	}
	ctx := context.Background()
	if s := tracegen.Start(&ctx, "f"); s.Span() != nil {
		t.Errorf("Start with a NoopTracer installed returned span %v", s.Span())
	}
}

func TestHandleObtainedBeforeSetDelegates(t *testing.T) {
	tracegen.ResetGlobalTracer()
	handle := tracegen.GlobalTracer()
	current := tracegen.CurrentTracer()
	first := installMock(t)
	handle.StartSpan("one").Finish()
	if n := len(first.FinishedSpans()); n != 1 {
		t.Errorf("the handle from before SetGlobalTracer reached the tracer %d times, want 1", n)
	}
	// CurrentTracer does not follow later changes.
	current.StartSpan("noop").Finish()
	if n := len(first.FinishedSpans()); n != 1 {
		t.Errorf("CurrentTracer from before SetGlobalTracer reached the new tracer")
	}

	second := mocktracer.New()
	if err := tracegen.SetGlobalTracer(second); err != nil {
		t.Fatal(err)
	}
	handle.StartSpan("two").Finish()
	span, _ := tracegen.StartSpanFromContext(context.Background(), "three")
	span.Finish()
	if n, m := len(first.FinishedSpans()), len(second.FinishedSpans()); n != 1 || m != 2 {
		t.Errorf("spans: first tracer %d, second %d, want 1 and 2", n, m)
	}

	// Inject and Extract go through the handle too.
	carrier := map[string]string{}
	if err := handle.Inject(span.Context(), tracegen.TextMap, carrier); err != nil {
		t.Fatalf("Inject through the handle: %v", err)
	}
	sc, err := handle.Extract(tracegen.TextMap, carrier)
	if err != nil || sc.(mocktracer.SpanContext).SpanID != asMock(t, span).SpanID() {
		t.Errorf("Extract through the handle = %v, %v", sc, err)
	}
	if o, ok := handle.(fastpath.SpanStarter); ok {
		o.StartSpanWithOptions("four", tracegen.StartSpanOptions{}).Finish()
		if m := len(second.FinishedSpans()); m != 3 {
			t.Errorf("StartSpanWithOptions through the handle: %d spans, want 3", m)
		}
	}

	tracegen.ResetGlobalTracer()
	handle.StartSpan("after reset").Finish()
	if m := len(second.FinishedSpans()); m > 3 {
		t.Errorf("the handle still reached the tracer after ResetGlobalTracer")
	}
}

// TestConcurrentSetAndStart is meant for -race: tracers are installed while
// other goroutines start spans through every entry point.
func TestConcurrentSetAndStart(t *testing.T) {
	tracegen.ResetGlobalTracer()
	t.Cleanup(tracegen.ResetGlobalTracer)
	tracers := []*mocktracer.Tracer{mocktracer.New(), mocktracer.New()}
	handle := tracegen.GlobalTracer()
	const rounds = 200
	var wg sync.WaitGroup
	var setterDone atomic.Bool
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer setterDone.Store(true) // with a tracer installed: 199%7 != 0
		for i := range rounds {
			if i%7 == 0 {
				tracegen.ResetGlobalTracer()
				continue
			}
			if err := tracegen.SetGlobalTracer(tracers[i%2]); err != nil {
				t.Error(err)
			}
			_ = tracegen.IsGlobalTracerRegistered()
		}
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// At least one round runs after the setter is done, so that
			// some span is recorded however the goroutines are scheduled.
			for i := 0; ; i++ {
				done := setterDone.Load()
				ctx := context.Background()
				func() {
					var err error
					defer tracegen.Start(&ctx, "start").TagInt("n", 1).End(&err)
					span, _ := tracegen.StartSpanFromContext(ctx, "from context")
					span.Finish()
				}()
				handle.StartSpan("handle").Finish()
				tracegen.CurrentTracer().StartSpan("current").Finish()
				if done && i >= rounds {
					break
				}
			}
		}()
	}
	wg.Wait()
	total := len(tracers[0].FinishedSpans()) + len(tracers[1].FinishedSpans())
	if total == 0 {
		t.Error("no span reached either tracer")
	}
}

// TestConcurrentSetKeepsOneTracer checks that racing SetGlobalTracer and
// ResetGlobalTracer calls leave one consistent state: the tracer that
// CurrentTracer reports is the one Start records with.
func TestConcurrentSetKeepsOneTracer(t *testing.T) {
	t.Cleanup(tracegen.ResetGlobalTracer)
	a, b := mocktracer.New(), mocktracer.New()
	for i := range 2000 {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); _ = tracegen.SetGlobalTracer(a) }()
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%3 == 0 {
				tracegen.ResetGlobalTracer()
			} else {
				_ = tracegen.SetGlobalTracer(b)
			}
		}()
		wg.Wait()
		a.Reset()
		b.Reset()
		ctx := context.Background()
		tracegen.Start(&ctx, "probe").End(nil)
		current := tracegen.CurrentTracer()
		gotA, gotB := len(a.FinishedSpans()), len(b.FinishedSpans())
		switch {
		case current == tracegen.Tracer(a) && gotA == 1 && gotB == 0:
		case current == tracegen.Tracer(b) && gotA == 0 && gotB == 1:
		case !tracegen.IsGlobalTracerRegistered() && gotA == 0 && gotB == 0:
		default:
			t.Fatalf("round %d: CurrentTracer is %p (a %p, b %p, registered %v) but Start recorded %d spans in a and %d in b",
				i, current, a, b, tracegen.IsGlobalTracerRegistered(), gotA, gotB)
		}
	}
}
