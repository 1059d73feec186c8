package tracehttp_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
	"github.com/tracegen/tracegen/runtime/tracehttp"
)

// TestClientServerTrace sends a request through Transport to a server
// wrapped by Middleware and checks that both spans form one trace.
func TestClientServerTrace(t *testing.T) {
	tr := mocktracer.New()
	var handlerSawSpan bool
	srv := httptest.NewServer(tracehttp.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handlerSawSpan = tracegen.SpanFromContext(r.Context()) != nil
		w.WriteHeader(http.StatusTeapot)
	}), tracehttp.WithTracer(tr)))
	defer srv.Close()

	client := &http.Client{Transport: tracehttp.Transport(nil, tracehttp.WithTracer(tr))}
	parent := tr.StartSpan("caller")
	req, _ := http.NewRequestWithContext(tracegen.ContextWithSpan(context.Background(), parent), http.MethodGet, srv.URL+"/pot?x=1", nil)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	parent.Finish()

	if !handlerSawSpan {
		t.Error("the handler's request context carries no span")
	}
	if len(req.Header) != 0 {
		t.Errorf("Transport changed the caller's request headers: %v", req.Header)
	}
	spans := tr.FinishedSpans()
	if len(spans) != 3 {
		t.Fatalf("got %d spans, want 3 (server, client, caller): %v", len(spans), spans)
	}
	server, clientSpan, caller := spans[0], spans[1], spans[2]
	if clientSpan.ParentID() != caller.SpanID() {
		t.Errorf("client span's parent = %d, want the caller %d", clientSpan.ParentID(), caller.SpanID())
	}
	if server.ParentID() != clientSpan.SpanID() || server.TraceID() != caller.TraceID() {
		t.Errorf("server span is not the client span's child in the same trace: %v / %v", server, clientSpan)
	}
	wantServer := map[string]any{
		"span.kind": "server", "component": "net/http", "http.method": "GET",
		"http.url": "/pot?x=REDACTED", "http.status_code": http.StatusTeapot,
	}
	for k, v := range wantServer {
		if got := server.Tag(k); got != v {
			t.Errorf("server tag %s = %#v, want %#v", k, got, v)
		}
	}
	if server.Tag("peer.ipv4") != "127.0.0.1" {
		t.Errorf("server peer.ipv4 = %v", server.Tag("peer.ipv4"))
	}
	if got := clientSpan.Tag("http.status_code"); got != http.StatusTeapot {
		t.Errorf("client http.status_code = %#v", got)
	}
	if got := clientSpan.Tag("span.kind"); got != "client" {
		t.Errorf("client span.kind = %#v", got)
	}
	if server.Tag("error") != nil || clientSpan.Tag("error") != nil {
		t.Error("a 418 must not be tagged as an error")
	}
}

func TestServerErrorAndPanic(t *testing.T) {
	tr := mocktracer.New()
	h := tracehttp.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/panic" {
			panic("boom")
		}
		http.Error(w, "down", http.StatusServiceUnavailable)
	}), tracehttp.WithTracer(tr), tracehttp.WithOperationName(func(r *http.Request) string { return r.URL.Path }))

	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/fail", nil))
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the handler's panic value re-raised", r)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/panic", nil))
	}()

	spans := tr.FinishedSpans()
	if len(spans) != 2 {
		t.Fatalf("got %d spans, want 2", len(spans))
	}
	for _, s := range spans {
		if s.Tag("error") != true {
			t.Errorf("%s: error tag = %v, want true", s.OperationName(), s.Tag("error"))
		}
	}
	if got := spans[0].Tag("http.status_code"); got != http.StatusServiceUnavailable {
		t.Errorf("/fail status = %v", got)
	}
	if got := spans[1].Tag("http.status_code"); got != http.StatusInternalServerError {
		t.Errorf("/panic status = %v", got)
	}
	if spans[1].OperationName() != "/panic" {
		t.Errorf("operation name = %q", spans[1].OperationName())
	}
}

func TestClientTransportError(t *testing.T) {
	tr := mocktracer.New()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens any more

	client := &http.Client{Transport: tracehttp.Transport(nil, tracehttp.WithTracer(tr))}
	if _, err := client.Get(url); err == nil {
		t.Fatal("request to a closed server succeeded")
	}
	spans := tr.FinishedSpans()
	if len(spans) != 1 || spans[0].Tag("error") != true {
		t.Fatalf("want one span with error=true, got %v", spans)
	}
	if len(spans[0].Logs()) == 0 {
		t.Error("the transport error was not logged")
	}
}
