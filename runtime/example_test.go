package runtime_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/ext"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// The examples install the mock tracer so that their output, ids included,
// is the same on every run. A program installs its real tracer once, in
// main, with tracegen.SetGlobalTracer.

// installExampleTracer installs a new mock tracer as the global tracer and
// returns it with the function that uninstalls it.
func installExampleTracer() (*mocktracer.Tracer, func()) {
	tr := mocktracer.New()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		panic(err)
	}
	return tr, tracegen.ResetGlobalTracer
}

// printSpan prints a finished mock span: its name and ids, then its tags
// sorted by key, then each log's fields but error.object (the error value
// itself, whose message is already shown) and stack.
func printSpan(s *mocktracer.Span) {
	fmt.Printf("%s trace=%d span=%d parent=%d\n", s.OperationName(), s.TraceID(), s.SpanID(), s.ParentID())
	tags := s.Tags()
	for _, k := range sortedKeys(tags) {
		fmt.Printf("  tag %s=%v\n", k, tags[k])
	}
	for _, rec := range s.Logs() {
		var fields []string
		for _, f := range rec.Fields {
			if f.Key == "stack" || f.Key == "error.object" {
				continue
			}
			fields = append(fields, fmt.Sprintf("%s=%v", f.Key, f.Value))
		}
		fmt.Printf("  log %s\n", strings.Join(fields, " "))
	}
}

// An HTTP server continues the caller's trace: it extracts the caller's span
// context from the request headers, starts a server span as its child, and
// hands the span to the code below it in the request's context.
func Example_inboundRequest() {
	tr, done := installExampleTracer()
	defer done()

	// The caller's side, done here by hand: span 1 sent with the request.
	caller := tr.StartSpan("client")
	req := httptest.NewRequest(http.MethodGet, "/users/42", nil)
	_ = tr.Inject(caller.Context(), tracegen.HTTPHeaders, req.Header)

	handler := func(w http.ResponseWriter, r *http.Request) {
		tracer := tracegen.GlobalTracer()
		// ErrSpanContextNotFound is normal: the request starts a new trace.
		// RPCServerOption ignores a nil context.
		clientCtx, _ := tracer.Extract(tracegen.HTTPHeaders, r.Header)
		span := tracer.StartSpan("GET /users/{id}", ext.RPCServerOption(clientCtx),
			ext.HTTPMethod.Tag(r.Method), ext.HTTPURL.Tag(r.URL.Path))
		defer span.Finish()
		ctx := tracegen.ContextWithSpan(r.Context(), span)

		lookUpUser(ctx) // sees span through ctx
		ext.HTTPStatusCode.Set(span, http.StatusOK)
	}
	handler(httptest.NewRecorder(), req)

	for _, s := range tr.FinishedSpans() {
		printSpan(s)
	}
	// Output:
	// lookUpUser trace=1 span=3 parent=2
	// GET /users/{id} trace=1 span=2 parent=1
	//   tag http.method=GET
	//   tag http.status_code=200
	//   tag http.url=/users/42
	//   tag span.kind=server
}

func lookUpUser(ctx context.Context) {
	span, _ := tracegen.StartSpanFromContext(ctx, "lookUpUser")
	span.Finish()
}

// A client passes its trace on with a request: it starts a client span as a
// child of the span in its context and injects the span's context into the
// request headers.
func Example_outboundRequest() {
	tr, done := installExampleTracer()
	defer done()
	parent := tr.StartSpan("checkout")
	ctx := tracegen.ContextWithSpan(context.Background(), parent)

	span, ctx := tracegen.StartSpanFromContext(ctx, "GET /prices", ext.SpanKindRPCClient)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://prices.internal/prices", nil)
	ext.HTTPMethod.Set(span, req.Method)
	ext.HTTPURL.Set(span, req.URL.String())
	if err := tracegen.GlobalTracer().Inject(span.Context(), tracegen.HTTPHeaders, req.Header); err != nil {
		fmt.Println("inject:", err)
	}
	// A real client sends req here, and tags the span with the status code.
	span.Finish()

	for _, k := range sortedKeys(req.Header) {
		fmt.Printf("%s: %s\n", k, req.Header.Get(k))
	}
	printSpan(tr.FinishedSpans()[0])
	// Output:
	// Mockpfx-Ids-Spanid: 2
	// Mockpfx-Ids-Traceid: 1
	// GET /prices trace=1 span=2 parent=1
	//   tag http.method=GET
	//   tag http.url=http://prices.internal/prices
	//   tag span.kind=client
}

// A span written by hand: tags, structured logs, and baggage that travels to
// the span's descendants but never back to its parent.
func Example_manualSpan() {
	tr, done := installExampleTracer()
	defer done()
	tracer := tracegen.GlobalTracer()

	span := tracer.StartSpan("resize", tracegen.Tag{Key: "image.width", Value: 1024})
	span.SetTag("image.format", "png")
	span.LogFields(log.String("event", "decoded"), log.Int("bytes", 48213))
	span.LogKV("event", "cache miss", "attempt", 2)
	span.SetBaggageItem("tenant", "acme")

	child := tracer.StartSpan("encode", tracegen.ChildOf(span.Context()))
	fmt.Println("child sees tenant:", child.BaggageItem("tenant"))
	child.SetBaggageItem("quality", "high")
	fmt.Printf("parent sees quality: %q\n", span.BaggageItem("quality"))
	child.Finish()
	span.Finish()
	span.SetTag("ignored", "after finish") // calls after Finish are ignored

	for _, s := range tr.FinishedSpans() {
		printSpan(s)
	}
	// Output:
	// child sees tenant: acme
	// parent sees quality: ""
	// encode trace=1 span=2 parent=1
	// resize trace=1 span=1 parent=0
	//   tag image.format=png
	//   tag image.width=1024
	//   log event=decoded bytes=48213
	//   log event=cache miss attempt=2
}

// loadConfig is a function as tracegen leaves it: the statement it injected
// starts a child of the span in ctx, puts the new span into ctx for the
// callees, and on return finishes it, recording the returned error.
func loadConfig(ctx context.Context, name string) (err error) {
	defer tracegen.Start(&ctx, "config.loadConfig").TagString("name", name).End(&err) //tracegen:generated
	return readFile(ctx, name)
}

func readFile(ctx context.Context, name string) (err error) {
	defer tracegen.Start(&ctx, "config.readFile", tracegen.KindClient).End(&err) //tracegen:generated
	return &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// The code tracegen generates: one deferred statement per traced function.
// A returned error marks the span with error=true and an error log; the
// error passes through unchanged.
func ExampleStart() {
	tr, done := installExampleTracer()
	defer done()

	err := loadConfig(context.Background(), "app.toml")
	fmt.Println("error:", err, errors.Is(err, fs.ErrNotExist))

	for _, s := range tr.FinishedSpans() {
		printSpan(s)
	}
	// Output:
	// error: open app.toml: file does not exist true
	// config.readFile trace=1 span=2 parent=1
	//   tag error=true
	//   tag span.kind=client
	//   log event=error message=open app.toml: file does not exist error.kind=*fs.PathError
	// config.loadConfig trace=1 span=1 parent=0
	//   tag error=true
	//   tag name=app.toml
	//   log event=error message=open app.toml: file does not exist error.kind=*fs.PathError
}

// With no tracer installed, the generated statement records nothing and
// leaves the context as it was.
func ExampleStart_noTracer() {
	tracegen.ResetGlobalTracer()
	ctx := context.Background()
	scope := tracegen.Start(&ctx, "config.loadConfig")
	fmt.Println(scope.Span() == nil, tracegen.SpanFromContext(ctx) == nil)
	// Output:
	// true true
}

// Start in an HTTP handler: StartRequest continues the trace named in the
// request headers and puts the span into the request's context.
func ExampleStartRequest() {
	tr, done := installExampleTracer()
	defer done()
	caller := tr.StartSpan("client")

	handler := func(w http.ResponseWriter, r *http.Request) {
		var err error
		defer tracegen.StartRequest(&r, "GET /health").End(&err) //tracegen:generated
		fmt.Println("span in request context:", tracegen.SpanFromContext(r.Context()) != nil)
	}
	req := httptest.NewRequest(http.MethodGet, "/health", nil)
	_ = tr.Inject(caller.Context(), tracegen.HTTPHeaders, req.Header)
	handler(httptest.NewRecorder(), req)

	printSpan(tr.FinishedSpans()[0])
	// Output:
	// span in request context: true
	// GET /health trace=1 span=2 parent=1
	//   tag http.method=GET
	//   tag http.url=/health
	//   tag span.kind=server
}

// Testing traced code: install the mock tracer, run the code, and assert on
// the finished spans, which come in the order they finished.
func Example_testingWithMockTracer() {
	tr := mocktracer.New()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		panic(err)
	}
	// In a test: t.Cleanup(tracegen.ResetGlobalTracer).
	defer tracegen.ResetGlobalTracer()

	_ = loadConfig(context.Background(), "app.toml")

	spans := tr.FinishedSpans()
	inner, outer := spans[0], spans[1]
	fmt.Println("spans:", len(spans))
	fmt.Println("same trace:", inner.TraceID() == outer.TraceID())
	fmt.Println("inner is child of outer:", inner.ParentID() == outer.SpanID())
	fmt.Println("outer failed:", outer.Tag("error") == true)
	fmt.Println("name tag:", outer.Tag("name"))

	tr.Reset() // forget the spans between test cases
	fmt.Println("after Reset:", len(tr.FinishedSpans()))
	// Output:
	// spans: 2
	// same trace: true
	// inner is child of outer: true
	// outer failed: true
	// name tag: app.toml
	// after Reset: 0
}

// sortedKeys returns the keys of m in order.
func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
