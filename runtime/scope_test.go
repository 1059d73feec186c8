package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	goruntime "runtime"
	"strings"
	"testing"

	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// The tests in this file install the global tracer, so none is parallel.

var errNotFound = errors.New("not found")

// tracedReturning is instrumented as tracegen instruments a function and
// returns err through several paths.
func tracedReturning(ctx context.Context, path string, err error) (result int, rerr error) {
	defer tracegen.Start(&ctx, "store.Get").End(&rerr)
	switch path {
	case "early":
		if err != nil {
			return 0, err
		}
	case "loop":
		for i := range 3 {
			if i == 2 {
				return i, err
			}
		}
	case "naked":
		rerr = err
		return
	case "later defer":
		defer func() { rerr = err }()
		return 1, nil
	}
	return 1, err
}

func wantErrorRecorded(t *testing.T, span *mocktracer.Span, err error, kind string) {
	t.Helper()
	if diff := deep.Diff(map[string]any{"error": true}, span.Tags()); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
	want := []mocktracer.LogRecord{{Fields: []mocktracer.KeyValue{
		{Key: "event", Value: "error"},
		{Key: "message", Value: err.Error()},
		{Key: "error.kind", Value: kind},
		{Key: "error.object", Value: err},
	}}}
	opts := deep.Options{deep.IgnoreFields(mocktracer.LogRecord{}, "Timestamp"), deep.Comparer(func(a, b error) bool { return a == b })}
	if diff := deep.Diff(want, span.Logs(), opts); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

func TestEndRecordsTheReturnedError(t *testing.T) {
	pathErr := &fs.PathError{Op: "open", Path: "/x", Err: fs.ErrNotExist}
	wrapped := fmt.Errorf("get: %w", errNotFound)
	tests := []struct {
		path string
		err  error
		kind string
	}{
		{"early", errNotFound, "*errors.errorString"},
		{"loop", pathErr, "*fs.PathError"},
		{"naked", wrapped, "*fmt.wrapError"},
		{"later defer", errNotFound, "*errors.errorString"},
		{"end", errNotFound, "*errors.errorString"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			tr := installMock(t)
			if _, err := tracedReturning(context.Background(), tt.path, tt.err); err != tt.err {
				t.Fatalf("traced function returned %v, want %v", err, tt.err)
			}
			wantErrorRecorded(t, onlyFinished(t, tr), tt.err, tt.kind)
		})
		t.Run(tt.path+" without error", func(t *testing.T) {
			tr := installMock(t)
			if _, err := tracedReturning(context.Background(), tt.path, nil); err != nil {
				t.Fatalf("traced function returned %v", err)
			}
			span := onlyFinished(t, tr)
			if len(span.Tags()) != 0 || len(span.Logs()) != 0 {
				t.Errorf("a successful call recorded tags %v logs %v", span.Tags(), span.Logs())
			}
		})
	}
}

func TestEndWithNilErrorPointerRecordsNoError(t *testing.T) {
	tr := installMock(t)
	fail := func(ctx context.Context) error {
		defer tracegen.Start(&ctx, "noerror").End(nil)
		return errNotFound
	}
	if err := fail(context.Background()); err != errNotFound {
		t.Fatalf("returned %v", err)
	}
	span := onlyFinished(t, tr)
	if len(span.Tags()) != 0 || len(span.Logs()) != 0 {
		t.Errorf("End(nil) recorded tags %v logs %v", span.Tags(), span.Logs())
	}
}

func TestRecordError(t *testing.T) {
	tr := mocktracer.New()
	span := asMock(t, tr.StartSpan("op"))
	tracegen.RecordError(span, errNotFound)
	wantErrorRecorded(t, span, errNotFound, "*errors.errorString")

	quiet := asMock(t, tr.StartSpan("quiet"))
	tracegen.RecordError(quiet, nil)
	tracegen.RecordError(nil, errNotFound) // must not panic
	if len(quiet.Tags()) != 0 || len(quiet.Logs()) != 0 {
		t.Errorf("RecordError(nil error) recorded tags %v logs %v", quiet.Tags(), quiet.Logs())
	}
}

type panicPayload struct{ reason string }

// tracedPanicking panics by calling do inside a traced function.
func tracedPanicking(ctx context.Context, do func()) (err error) {
	defer tracegen.Start(&ctx, "panicky").End(&err)
	do()
	return nil
}

// recovering calls f and returns what it panicked with.
func recovering(f func()) (recovered any) {
	defer func() { recovered = recover() }()
	f()
	return nil
}

func TestEndRecordsPanicAndRaisesTheSameValue(t *testing.T) {
	payload := &panicPayload{"boom"}
	errPanic := errors.New("panic error")
	var nilMap map[string]int
	var nilPtr *panicPayload
	idx := 5
	tests := []struct {
		name     string
		do       func()
		same     func(recovered any) bool // reports whether the re-raised value is the original
		wantKind string
		wantMsg  string
	}{
		{
			name: "pointer value", do: func() { panic(payload) },
			same:     func(r any) bool { return r == payload },
			wantKind: "panic: *runtime_test.panicPayload", wantMsg: "&{boom}",
		},
		{
			name: "string", do: func() { panic("it broke") },
			same:     func(r any) bool { return r == "it broke" },
			wantKind: "panic: string", wantMsg: "it broke",
		},
		{
			name: "error", do: func() { panic(errPanic) },
			same:     func(r any) bool { return r == errPanic },
			wantKind: "panic: *errors.errorString", wantMsg: "panic error",
		},
		{
			name: "index out of range", do: func() { _ = []int{1}[idx] },
			same:     func(r any) bool { _, ok := r.(goruntime.Error); return ok },
			wantKind: "panic: runtime.boundsError", wantMsg: "runtime error: index out of range [5] with length 1",
		},
		{
			name: "nil map write", do: func() { nilMap["k"] = 1 },
			same:     func(r any) bool { _, ok := r.(goruntime.Error); return ok },
			wantKind: "panic: runtime.plainError", wantMsg: "assignment to entry in nil map",
		},
		{
			name: "nil pointer", do: func() { _ = nilPtr.reason },
			same:     func(r any) bool { _, ok := r.(goruntime.Error); return ok },
			wantKind: "panic: runtime.errorString", wantMsg: "runtime error: invalid memory address or nil pointer dereference",
		},
		{
			name: "panic(nil)", do: func() { panic(nil) },
			same:     func(r any) bool { _, ok := r.(*goruntime.PanicNilError); return ok },
			wantKind: "panic: *runtime.PanicNilError", wantMsg: "panic called with nil argument",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := installMock(t)
			recovered := recovering(func() { _ = tracedPanicking(context.Background(), tt.do) })
			if recovered == nil || !tt.same(recovered) {
				t.Fatalf("the caller recovered %#v, not the original panic value", recovered)
			}
			span := onlyFinished(t, tr)
			if got := span.Tag("error"); got != true {
				t.Errorf("error tag = %#v, want true", got)
			}
			wantKeys := [][]string{{"event", "message", "error.kind", "stack"}}
			if _, isErr := recovered.(error); isErr {
				wantKeys[0] = append(wantKeys[0], "error.object")
				if got := logValue(span, "error.object"); got != recovered {
					t.Errorf("error.object = %#v, want the value the caller recovered %#v", got, recovered)
				}
			}
			if diff := deep.Diff(wantKeys, logKeys(span)); diff != "" {
				t.Errorf("log keys (-want +got):\n%s", diff)
			}
			if got := logValue(span, "event"); got != "error" {
				t.Errorf("event = %#v, want error", got)
			}
			if got := logValue(span, "error.kind"); got != tt.wantKind {
				t.Errorf("error.kind = %#v, want %q", got, tt.wantKind)
			}
			if got := logValue(span, "message"); got != tt.wantMsg {
				t.Errorf("message = %#v, want %q", got, tt.wantMsg)
			}
			if stack, _ := logValue(span, "stack").(string); !strings.Contains(stack, "runtime_test.tracedPanicking") {
				t.Errorf("stack does not show the traced function:\n%s", stack)
			}
		})
	}
}

// TestEndSeesPanicsHoweverItIsDeferred checks that End recovers the panic in
// every form in which it is deferred directly, including the generated form,
// whose arguments make the compiler wrap the deferred call in a closure.
// Called from inside another deferred function it cannot recover; it must
// then still finish the span and let the panic through.
func TestEndSeesPanicsHoweverItIsDeferred(t *testing.T) {
	forms := []struct {
		name      string
		run       func(ctx context.Context) error
		seesPanic bool
	}{
		{"generated statement", func(ctx context.Context) (err error) {
			defer tracegen.Start(&ctx, "f").End(&err)
			panic("boom")
		}, true},
		{"scope variable", func(ctx context.Context) (err error) {
			scope := tracegen.Start(&ctx, "f")
			defer scope.End(&err)
			panic("boom")
		}, true},
		{"method expression", func(ctx context.Context) (err error) {
			defer tracegen.Scope.End(tracegen.Start(&ctx, "f"), &err)
			panic("boom")
		}, true},
		{"method value", func(ctx context.Context) (err error) {
			end := tracegen.Start(&ctx, "f").End
			defer end(&err)
			panic("boom")
		}, true},
		{"nil error pointer", func(ctx context.Context) error {
			defer tracegen.Start(&ctx, "f").End(nil)
			panic("boom")
		}, true},
		{"inside a deferred closure", func(ctx context.Context) (err error) {
			scope := tracegen.Start(&ctx, "f")
			defer func() { scope.End(&err) }()
			panic("boom")
		}, false},
	}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			tr := installMock(t)
			if got := recovering(func() { _ = f.run(context.Background()) }); got != "boom" {
				t.Fatalf("the caller recovered %#v, want boom", got)
			}
			span := onlyFinished(t, tr)
			if got := span.Tag("error") == true; got != f.seesPanic {
				t.Errorf("panic recorded = %v, want %v (tags %v)", got, f.seesPanic, span.Tags())
			}
		})
	}
}

func TestEndAfterARecoveredPanicRecordsTheError(t *testing.T) {
	tr := installMock(t)
	f := func(ctx context.Context) (err error) {
		defer tracegen.Start(&ctx, "f").End(&err)
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("recovered: %v", r)
			}
		}()
		panic("boom")
	}
	err := f(context.Background())
	if err == nil || err.Error() != "recovered: boom" {
		t.Fatalf("returned %v", err)
	}
	wantErrorRecorded(t, onlyFinished(t, tr), err, "*errors.errorString")
}

func TestStartStoresTheSpanInTheContext(t *testing.T) {
	tr := installMock(t)
	outer := asMock(t, tr.StartSpan("outer"))
	callerCtx := tracegen.ContextWithSpan(context.Background(), outer)
	var inside tracegen.Span
	f := func(ctx context.Context) (err error) {
		defer tracegen.Start(&ctx, "f").End(&err)
		inside = tracegen.SpanFromContext(ctx)
		return nil
	}
	_ = f(callerCtx)
	span := onlyFinished(t, tr)
	if inside != tracegen.Span(span) {
		t.Errorf("span active inside = %v, want the new span %v", inside, span)
	}
	if span.ParentID() != outer.SpanID() || span.TraceID() != outer.TraceID() || span.OperationName() != "f" {
		t.Errorf("span %v, want a child of %v named f", span, outer)
	}
	if tracegen.SpanFromContext(callerCtx) != outer {
		t.Error("the caller's context changed")
	}
}

func TestStartWithNilContexts(t *testing.T) {
	tr := installMock(t)
	scope := tracegen.Start(nil, "nil pointer")
	if scope.Span() == nil {
		t.Fatal("Start(nil) recorded no span")
	}
	scope.End(nil)
	if s := onlyFinished(t, tr); s.ParentID() != 0 {
		t.Errorf("Start(nil) made %v, want a root", s)
	}
	tr.Reset()

	// A nil context stays nil, for the function's own check of it; the
	// span is a root.
	var ctx context.Context
	scope = tracegen.Start(&ctx, "nil context")
	if ctx != nil {
		t.Errorf("Start(&nilCtx) stored %v, want the context left nil", ctx)
	}
	scope.End(nil)
	if s := onlyFinished(t, tr); s.OperationName() != "nil context" || s.ParentID() != 0 {
		t.Errorf("Start(&nilCtx) made %v, want a root", s)
	}
	tr.Reset()

	//lint:ignore SA1012 a nil context is what is tested
	tracegen.StartFrom(nil, "from nil").End(nil)
	if s := onlyFinished(t, tr); s.OperationName() != "from nil" || s.ParentID() != 0 {
		t.Errorf("StartFrom(nil) made %v, want a root", s)
	}
	tr.Reset()
	tracegen.StartFromRequest(nil, "nil request").End(nil)
	if s := onlyFinished(t, tr); s.OperationName() != "nil request" || s.ParentID() != 0 {
		t.Errorf("StartFromRequest(nil) made %v, want a root", s)
	}
}

func TestStartFromLeavesTheContext(t *testing.T) {
	tr := installMock(t)
	parent := tr.StartSpan("parent")
	ctx := tracegen.ContextWithSpan(context.Background(), parent)
	before := ctx
	scope := tracegen.StartFrom(ctx, "child", tracegen.KindClient)
	if ctx != before || tracegen.SpanFromContext(ctx) != parent {
		t.Error("StartFrom changed the context")
	}
	scope.End(nil)
	s := onlyFinished(t, tr)
	if s.OperationName() != "child" || s.ParentID() != parent.(*mocktracer.Span).SpanID() || s.Tag("span.kind") != "client" {
		t.Errorf("StartFrom made %v, want a client child of the parent", s)
	}
}

func TestStartFromRequestLeavesTheRequest(t *testing.T) {
	tr := installMock(t)
	parent := tr.StartSpan("parent")
	r := httptest.NewRequest(http.MethodPost, "http://example.com/x", nil).
		WithContext(tracegen.ContextWithSpan(context.Background(), parent))
	before := r
	scope := tracegen.StartFromRequest(r, "sign")
	if r != before || tracegen.SpanFromContext(r.Context()) != parent {
		t.Error("StartFromRequest changed the request")
	}
	scope.End(nil)
	s := onlyFinished(t, tr)
	if s.ParentID() != parent.(*mocktracer.Span).SpanID() || s.Tag("http.method") != "POST" || s.Tag("span.kind") != nil {
		t.Errorf("StartFromRequest made %v, want an untyped child of the request's span with its method", s)
	}
}

func TestStartWithoutATracerDoesNothing(t *testing.T) {
	for _, name := range []string{"none", "noop installed"} {
		t.Run(name, func(t *testing.T) {
			tracegen.ResetGlobalTracer()
			t.Cleanup(tracegen.ResetGlobalTracer)
			if name == "noop installed" {
				if err := tracegen.SetGlobalTracer(tracegen.NoopTracer{}); err != nil {
					t.Fatal(err)
				}
			}
			ctx := context.Background()
			before := ctx
			scope := tracegen.Start(&ctx, "f")
			if scope.Span() != nil || ctx != before {
				t.Errorf("Start recorded %v and changed ctx: %v", scope.Span(), ctx != before)
			}
			err := errNotFound
			scope.TagString("k", "v").TagInt("i", 1).End(&err)
			if got := recovering(func() { _ = tracedPanicking(context.Background(), func() { panic("through") }) }); got != "through" {
				t.Errorf("panic through an untraced scope recovered as %#v", got)
			}
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			orig := r
			tracegen.StartRequest(&r, "GET /").End(nil)
			if r != orig {
				t.Error("StartRequest replaced the request with no tracer")
			}
		})
	}
}

//go:noinline
func tracedForAllocs(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "allocs").End(&err)
	return nil
}

func TestStartEndAllocatesNothingWithoutATracer(t *testing.T) {
	for _, name := range []string{"none", "noop installed"} {
		t.Run(name, func(t *testing.T) {
			tracegen.ResetGlobalTracer()
			t.Cleanup(tracegen.ResetGlobalTracer)
			if name == "noop installed" {
				if err := tracegen.SetGlobalTracer(tracegen.NoopTracer{}); err != nil {
					t.Fatal(err)
				}
			}
			ctx := tracegen.ContextWithSpan(context.Background(), tracegen.NoopTracer{}.StartSpan("outer"))
			if n := testing.AllocsPerRun(100, func() { _ = tracedForAllocs(ctx) }); n != 0 {
				t.Errorf("Start+End allocated %v times per call, want 0", n)
			}
		})
	}
}

func TestIfActive(t *testing.T) {
	tr := installMock(t)
	ctx := context.Background()
	scope := tracegen.Start(&ctx, "no parent", tracegen.IfActive)
	if scope.Span() != nil || ctx != context.Background() {
		t.Errorf("IfActive without an active span started %v", scope.Span())
	}
	scope.End(nil)
	if n := len(tr.FinishedSpans()); n != 0 {
		t.Fatalf("IfActive without an active span recorded %d spans", n)
	}

	outer := asMock(t, tr.StartSpan("outer"))
	ctx = tracegen.ContextWithSpan(context.Background(), outer)
	tracegen.Start(&ctx, "with parent", tracegen.IfActive|tracegen.KindClient).End(nil)
	span := onlyFinished(t, tr)
	if span.ParentID() != outer.SpanID() || span.Tag("span.kind") != "client" {
		t.Errorf("IfActive|KindClient with an active span: %v kind %v", span, span.Tag("span.kind"))
	}
}

func TestKinds(t *testing.T) {
	tests := []struct {
		opts []tracegen.Option
		want any
	}{
		{nil, nil},
		{[]tracegen.Option{tracegen.KindInternal}, "internal"},
		{[]tracegen.Option{tracegen.KindServer}, "server"},
		{[]tracegen.Option{tracegen.KindClient}, "client"},
		{[]tracegen.Option{tracegen.KindProducer}, "producer"},
		{[]tracegen.Option{tracegen.KindConsumer}, "consumer"},
		{[]tracegen.Option{tracegen.IfActive, tracegen.KindConsumer}, "consumer"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.want), func(t *testing.T) {
			tr := installMock(t)
			outer := tr.StartSpan("outer")
			ctx := tracegen.ContextWithSpan(context.Background(), outer)
			tracegen.Start(&ctx, "f", tt.opts...).End(nil)
			if got := onlyFinished(t, tr).Tag("span.kind"); got != tt.want {
				t.Errorf("span.kind = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestStartRequest(t *testing.T) {
	const url = "http://example.com/users?id=7"
	tests := []struct {
		name         string
		headerParent bool
		ctxParent    bool
		opts         []tracegen.Option
		wantParent   string // "", "header" or "context"
		wantKind     any
		wantNoSpan   bool
	}{
		{name: "new trace", wantKind: "server"},
		{name: "parent from headers", headerParent: true, wantParent: "header", wantKind: "server"},
		{name: "context beats headers", headerParent: true, ctxParent: true, wantParent: "context", wantKind: nil},
		{name: "explicit kind", headerParent: true, opts: []tracegen.Option{tracegen.KindConsumer}, wantParent: "header", wantKind: "consumer"},
		{name: "if active without parent", opts: []tracegen.Option{tracegen.IfActive}, wantNoSpan: true},
		{name: "if active with header parent", headerParent: true, opts: []tracegen.Option{tracegen.IfActive}, wantParent: "header", wantKind: "server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := installMock(t)
			remote := asMock(t, tr.StartSpan("remote client"))
			local := asMock(t, tr.StartSpan("local"))
			req := httptest.NewRequest(http.MethodPost, url, nil)
			if tt.headerParent {
				if err := tr.Inject(remote.Context(), tracegen.HTTPHeaders, req.Header); err != nil {
					t.Fatal(err)
				}
			}
			if tt.ctxParent {
				req = req.WithContext(tracegen.ContextWithSpan(req.Context(), local))
			}
			orig, r := req, req
			scope := tracegen.StartRequest(&r, "POST /users", tt.opts...)
			scope.End(nil)
			if tt.wantNoSpan {
				if scope.Span() != nil || r != orig || len(tr.FinishedSpans()) != 0 {
					t.Errorf("started %v, request replaced: %v", scope.Span(), r != orig)
				}
				return
			}
			span := onlyFinished(t, tr)
			if r == orig || tracegen.SpanFromContext(r.Context()) != tracegen.Span(span) {
				t.Error("the request was not re-bound to a context holding the span")
			}
			if tracegen.SpanFromContext(orig.Context()) == tracegen.Span(span) {
				t.Error("the original request's context was changed")
			}
			var want uint64
			switch tt.wantParent {
			case "header":
				want = remote.SpanID()
			case "context":
				want = local.SpanID()
			}
			if span.ParentID() != want {
				t.Errorf("parent = %d, want %d (%s)", span.ParentID(), want, tt.wantParent)
			}
			wantTags := map[string]any{"http.method": "POST", "http.url": url}
			if tt.wantKind != nil {
				wantTags["span.kind"] = tt.wantKind
			}
			if diff := deep.Diff(wantTags, span.Tags()); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
		})
	}
	t.Run("nil request", func(t *testing.T) {
		tr := installMock(t)
		tracegen.StartRequest(nil, "x").End(nil)
		var r *http.Request
		tracegen.StartRequest(&r, "x").End(nil)
		if n := len(tr.FinishedSpans()); n != 0 {
			t.Errorf("recorded %d spans for nil requests", n)
		}
	})
}

type stringer struct{ s string }

func (s *stringer) String() string { return s.s }

type nilSafe struct{}

func (n *nilSafe) String() string {
	if n == nil {
		return "nil-safe"
	}
	return "value"
}

func TestScopeTagMethodsKeepTypes(t *testing.T) {
	tests := []struct {
		name   string
		tracer func() (tracegen.Tracer, *mocktracer.Tracer)
	}{
		{"field tagger", func() (tracegen.Tracer, *mocktracer.Tracer) { m := mocktracer.New(); return m, m }},
		{"plain SetTag", func() (tracegen.Tracer, *mocktracer.Tracer) { m := mocktracer.New(); return plainSpans{m}, m }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, mock := tt.tracer()
			if err := tracegen.SetGlobalTracer(tr); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(tracegen.ResetGlobalTracer)
			ctx := context.Background()
			var nilStringer *stringer
			tracegen.Start(&ctx, "tags").
				TagString("s", "x").TagInt("i", -1).TagUint("u", 1<<63).TagFloat("f", 0.25).TagBool("b", true).
				TagStringer("stringer", &stringer{"str"}).TagStringer("nil stringer", nil).
				TagStringer("nil pointer", nilStringer).TagStringer("nil safe", (*nilSafe)(nil)).
				TagError("err", errNotFound).TagError("nil err", nil).
				End(nil)
			want := map[string]any{
				"s": "x", "i": int64(-1), "u": uint64(1 << 63), "f": 0.25, "b": true,
				"stringer": "str", "nil stringer": "<nil>", "nil pointer": "<nil>", "nil safe": "nil-safe",
				"err": "not found", "nil err": "<nil>",
			}
			if diff := deep.Diff(want, onlyFinished(t, mock).Tags()); diff != "" {
				t.Errorf("tags (-want +got):\n%s", diff)
			}
		})
	}
}

func TestZeroScope(t *testing.T) {
	var s tracegen.Scope
	if s.Span() != nil {
		t.Errorf("zero Scope has span %v", s.Span())
	}
	err := errNotFound
	s.TagString("a", "b").TagInt("i", 1).TagUint("u", 1).TagFloat("f", 1).TagBool("b", true).
		TagStringer("s", nil).TagError("e", nil).End(&err)
}

func TestPanicThroughNestedTracedFunctions(t *testing.T) {
	tr := installMock(t)
	payload := &panicPayload{"deep"}
	inner := func(ctx context.Context) (err error) {
		defer tracegen.Start(&ctx, "inner").End(&err)
		panic(payload)
	}
	outer := func(ctx context.Context) (err error) {
		defer tracegen.Start(&ctx, "outer").End(&err)
		return inner(ctx)
	}
	if got := recovering(func() { _ = outer(context.Background()) }); got != payload {
		t.Fatalf("the caller recovered %#v, want the original value", got)
	}
	spans := tr.FinishedSpans()
	if len(spans) != 2 || spans[0].OperationName() != "inner" || spans[1].OperationName() != "outer" {
		t.Fatalf("finished %v, want inner then outer", spans)
	}
	if spans[0].ParentID() != spans[1].SpanID() {
		t.Errorf("inner's parent = %d, want outer %d", spans[0].ParentID(), spans[1].SpanID())
	}
	for _, s := range spans {
		if s.Tag("error") != true || logValue(s, "error.kind") != "panic: *runtime_test.panicPayload" {
			t.Errorf("%s: error tag %v, error.kind %v", s.OperationName(), s.Tag("error"), logValue(s, "error.kind"))
		}
	}
}

func TestGoexitFinishesTheSpanWithoutAnError(t *testing.T) {
	tr := installMock(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		ctx := context.Background()
		func() (err error) {
			defer tracegen.Start(&ctx, "exits").End(&err)
			goruntime.Goexit()
			return nil
		}()
	}()
	<-done
	span := onlyFinished(t, tr)
	if len(span.Tags()) != 0 || len(span.Logs()) != 0 {
		t.Errorf("Goexit recorded tags %v logs %v, want none", span.Tags(), span.Logs())
	}
}
