package tracehttp_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
	"github.com/tracegen/tracegen/runtime/tracehttp"
)

// serve starts a real loopback server with h behind Middleware.
func serve(t *testing.T, h http.Handler, opts ...tracehttp.Option) (*httptest.Server, *mocktracer.Tracer) {
	t.Helper()
	tr := mocktracer.New()
	srv := httptest.NewServer(tracehttp.Middleware(h, append([]tracehttp.Option{tracehttp.WithTracer(tr)}, opts...)...))
	t.Cleanup(srv.Close)
	return srv, tr
}

func get(t *testing.T, url string, header ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// onlySpan waits for the server's one span: the handler's return and the
// span's end race with the client reading the response.
func onlySpan(t *testing.T, tr *mocktracer.Tracer) *mocktracer.Span {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if spans := tr.FinishedSpans(); len(spans) > 0 {
			if len(spans) != 1 {
				t.Fatalf("%d spans, want 1: %v", len(spans), spans)
			}
			return spans[0]
		}
	}
	t.Fatal("no span finished")
	return nil
}

func TestRouteNames(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, r.PathValue("id")) })
	mux.HandleFunc("/any/", func(w http.ResponseWriter, r *http.Request) {})
	tests := []struct{ path, want string }{
		{"/items/42", "GET /items/{id}"},
		{"/items/43", "GET /items/{id}"},
		{"/any/thing", "GET /any/"},
		{"/nothing", "GET"}, // no pattern: the mux's 404
	}
	for _, tt := range tests {
		srv, tr := serve(t, mux)
		get(t, srv.URL+tt.path)
		if s := onlySpan(t, tr); s.OperationName() != tt.want {
			t.Errorf("%s: span %q, want %q", tt.path, s.OperationName(), tt.want)
		}
	}
}

func TestServerTags(t *testing.T) {
	srv, tr := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "body only") // no WriteHeader: 200
	}), tracehttp.WithCallerNameHeaders("X-Uber-Source", "X-Caller"))
	get(t, strings.Replace(srv.URL, "http://", "http://user:hunter2@", 1)+"/p?token=s3cret&page=2", "X-Caller", "billing")
	s := onlySpan(t, tr)
	want := map[string]any{
		"span.kind": "server", "http.method": "GET", "http.status_code": 200,
		"http.url": "/p?token=REDACTED&page=REDACTED", "peer.service": "billing", "peer.ipv4": "127.0.0.1",
	}
	for k, v := range want {
		if got := s.Tag(k); got != v {
			t.Errorf("tag %s = %#v, want %#v", k, got, v)
		}
	}
	if _, ok := s.Tag("peer.port").(uint16); !ok {
		t.Errorf("peer.port = %#v", s.Tag("peer.port"))
	}
	for k, v := range s.Tags() {
		if str := fmt.Sprint(v); strings.Contains(str, "s3cret") || strings.Contains(str, "hunter2") {
			t.Errorf("tag %s = %q holds a secret", k, str)
		}
	}
}

func TestQueryValuesOption(t *testing.T) {
	srv, tr := serve(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), tracehttp.WithQueryValues())
	get(t, srv.URL+"/p?page=2")
	if got := onlySpan(t, tr).Tag("http.url"); got != "/p?page=2" {
		t.Errorf("http.url = %v", got)
	}
}

// TestFlusher streams a response with the handler's own type assertion:
// each chunk reaches the client before the next is written.
func TestFlusher(t *testing.T) {
	next := make(chan bool)
	srv, tr := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := w.(http.Flusher)
		if !ok {
			t.Error("the writer is not an http.Flusher")
			return
		}
		for i := range 3 {
			fmt.Fprintf(w, "chunk %d\n", i)
			f.Flush()
			<-next
		}
	}))
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	for i := range 3 {
		line, err := br.ReadString('\n')
		if err != nil || line != fmt.Sprintf("chunk %d\n", i) {
			t.Fatalf("read %q, %v", line, err)
		}
		next <- true
	}
	if s := onlySpan(t, tr); s.Tag("http.status_code") != 200 {
		t.Errorf("status %v", s.Tag("http.status_code"))
	}
}

// TestHijacker takes over a real connection and speaks over it.
func TestHijacker(t *testing.T) {
	srv, tr := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		if !ok {
			t.Error("the writer is not an http.Hijacker")
			return
		}
		conn, rw, err := hj.Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		rw.Flush()
		line, _ := rw.ReadString('\n')
		rw.WriteString("echo: " + line)
		rw.Flush()
	}))
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("response %v, %v", resp, err)
	}
	fmt.Fprintf(conn, "hello\n")
	if line, err := br.ReadString('\n'); err != nil || line != "echo: hello\n" {
		t.Fatalf("read %q, %v", line, err)
	}
	if s := onlySpan(t, tr); s.Tag("http.status_code") != http.StatusSwitchingProtocols {
		t.Errorf("status %v, want 101", s.Tag("http.status_code"))
	}
}

// TestReaderFrom serves a file through io.Copy, which net/http answers
// with ReadFrom (sendfile on linux).
func TestReaderFrom(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	content := strings.Repeat("0123456789", 100_000)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	srv, _ := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := w.(io.ReaderFrom); !ok {
			t.Error("the writer is not an io.ReaderFrom")
		}
		f, err := os.Open(path)
		if err != nil {
			t.Error(err)
			return
		}
		defer f.Close()
		io.Copy(w, f)
	}))
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil || string(got) != content {
		t.Fatalf("read %d bytes, %v; want %d", len(got), err, len(content))
	}
}

// TestResponseController sets a write deadline and flushes through
// http.ResponseController, which reaches the real writer through Unwrap.
func TestResponseController(t *testing.T) {
	srv, _ := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		if err := rc.SetWriteDeadline(time.Now().Add(time.Minute)); err != nil {
			t.Errorf("SetWriteDeadline: %v", err)
		}
		io.WriteString(w, "ok")
		if err := rc.Flush(); err != nil {
			t.Errorf("Flush: %v", err)
		}
	}))
	if resp := get(t, srv.URL); resp.StatusCode != 200 {
		t.Fatal(resp.Status)
	}
}

// TestClientSpanEndsWithBody: the client span covers reading the body.
func TestClientSpanEndsWithBody(t *testing.T) {
	release := make(chan bool)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "head ")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "tail")
	}))
	defer srv.Close()
	tr := mocktracer.New()
	client := &http.Client{Transport: tracehttp.Transport(nil, tracehttp.WithTracer(tr))}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tr.FinishedSpans()); n != 0 {
		t.Fatalf("the client span ended with the headers (%d spans)", n)
	}
	close(release)
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "head tail" {
		t.Fatalf("body %q", body)
	}
	spans := tr.FinishedSpans()
	if len(spans) != 1 {
		t.Fatalf("%d spans after the body's end, want 1", len(spans))
	}
	resp.Body.Close()
	if n := len(tr.FinishedSpans()); n != 1 {
		t.Fatalf("Close after EOF finished the span again (%d spans)", n)
	}
}

// TestClientErrors: a timeout reading the body and a refused connection
// are recorded on the client span.
func TestClientErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	tr := mocktracer.New()
	client := &http.Client{Transport: tracehttp.Transport(nil, tracehttp.WithTracer(tr)), Timeout: 200 * time.Millisecond}
	resp, err := client.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Fatal("reading the body did not time out")
	}
	resp.Body.Close()
	spans := tr.FinishedSpans()
	if len(spans) != 1 || spans[0].Tag("error") != true {
		t.Fatalf("the timeout is not recorded: %v", spans)
	}

	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()
	tr2 := mocktracer.New()
	client2 := &http.Client{Transport: tracehttp.Transport(nil, tracehttp.WithTracer(tr2))}
	if _, err := client2.Get("http://" + addr); err == nil {
		t.Fatal("a closed port answered")
	}
	if spans := tr2.FinishedSpans(); len(spans) != 1 || spans[0].Tag("error") != true {
		t.Fatalf("the refused connection is not recorded: %v", spans)
	}
}

// TestClientHeadersAndURL: the caller's name and the endpoint go out in
// the configured headers; http.url has no userinfo and no query values.
func TestClientHeadersAndURL(t *testing.T) {
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.Header.Clone() }))
	defer srv.Close()
	tr := mocktracer.New()
	client := &http.Client{Transport: tracehttp.Transport(nil, tracehttp.WithTracer(tr),
		tracehttp.WithCallerName("shop", "X-Uber-Source"), tracehttp.WithCalleeEndpointHeaders("X-Uber-Endpoint"))}
	parent := tr.StartSpan("caller")
	req, _ := http.NewRequestWithContext(tracegen.ContextWithSpan(context.Background(), parent), http.MethodPost,
		strings.Replace(srv.URL, "http://", "http://u:pw-s3cret@", 1)+"/pay?card=4111", strings.NewReader("body"))
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if got.Get("X-Uber-Source") != "shop" || got.Get("X-Uber-Endpoint") != "POST" {
		t.Errorf("headers %v", got)
	}
	s := tr.FinishedSpans()[0]
	if u := s.Tag("http.url"); u != srv.URL+"/pay?card=REDACTED" {
		t.Errorf("http.url = %v", u)
	}
}
