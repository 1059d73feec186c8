// Package tracehttp traces HTTP servers and clients: the Go counterpart of the
// instrumentation library's http_server before_request helper and its
// urllib2/requests client hooks.
//
// Middleware wraps an http.Handler: it continues the trace the request
// carries in its headers (or starts one), makes the server span active in
// the request's context, and tags it with the method, URL, peer and status.
//
// Transport wraps an http.RoundTripper: each request becomes a client span,
// a child of the span in the request's context, whose context is injected
// into the outgoing headers.
package tracehttp

import (
	"fmt"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"net"
	"net/http"
	"strconv"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// Option configures Middleware and Transport.
type Option func(*config)

type config struct {
	tracer        tracegen.Tracer
	operationName func(*http.Request) string
	component     string
}

func newConfig(component string, opts []Option) config {
	c := config{
		tracer:        tracegen.GlobalTracer(),
		operationName: func(r *http.Request) string { return "HTTP " + r.Method },
		component:     component,
	}
	for _, o := range opts {
		o(&c)
	}
	return c
}

// WithTracer uses t instead of the global tracer.
func WithTracer(t tracegen.Tracer) Option {
	return func(c *config) {
		if t != nil {
			c.tracer = t
		}
	}
}

// WithOperationName names spans with f(request) instead of "HTTP METHOD".
func WithOperationName(f func(*http.Request) string) Option {
	return func(c *config) {
		if f != nil {
			c.operationName = f
		}
	}
}

// WithComponent sets the component tag (default "net/http").
func WithComponent(name string) Option {
	return func(c *config) { c.component = name }
}

// Middleware returns a handler that traces each request served by next.
func Middleware(next http.Handler, opts ...Option) http.Handler {
	c := newConfig("net/http", opts)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var startOpts tracegen.StartSpanOptions
		if sc, err := c.tracer.Extract(tracegen.HTTPHeaders, tracegen.HTTPHeadersCarrier(r.Header)); err == nil && sc != nil {
			startOpts.Parent = sc
		}
		span := fastpath.StartSpanWithOptions(c.tracer, c.operationName(r), startOpts)
		span.SetTag("span.kind", "server")
		span.SetTag("component", c.component)
		span.SetTag("http.method", r.Method)
		span.SetTag("http.url", r.URL.String())
		tagPeer(span, r.RemoteAddr)

		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				span.SetTag("http.status_code", http.StatusInternalServerError)
				tracegen.RecordError(span, panicError{p})
				span.Finish()
				panic(p)
			}
			span.SetTag("http.status_code", rec.status)
			if rec.status >= 500 {
				span.SetTag("error", true)
			}
			span.Finish()
		}()
		next.ServeHTTP(rec, r.WithContext(tracegen.ContextWithSpan(r.Context(), span)))
	})
}

// Transport returns a RoundTripper that traces each request sent through
// base (http.DefaultTransport if nil).
func Transport(base http.RoundTripper, opts ...Option) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{base: base, config: newConfig("net/http", opts)}
}

type transport struct {
	base http.RoundTripper
	config
}

// RoundTrip implements http.RoundTripper. It does not change req: the
// headers are injected into a clone.
func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var startOpts tracegen.StartSpanOptions
	if parent := tracegen.SpanFromContext(req.Context()); parent != nil {
		startOpts.Parent = parent.Context()
	}
	span := fastpath.StartSpanWithOptions(t.tracer, t.operationName(req), startOpts)
	span.SetTag("span.kind", "client")
	span.SetTag("component", t.component)
	span.SetTag("http.method", req.Method)
	span.SetTag("http.url", req.URL.String())
	if host := req.URL.Hostname(); host != "" {
		span.SetTag("peer.hostname", host)
	}
	if port := req.URL.Port(); port != "" {
		if p, err := strconv.ParseUint(port, 10, 16); err == nil {
			span.SetTag("peer.port", uint16(p))
		}
	}

	out := req.Clone(req.Context())
	if out.Header == nil {
		out.Header = make(http.Header)
	}
	_ = t.tracer.Inject(span.Context(), tracegen.HTTPHeaders, tracegen.HTTPHeadersCarrier(out.Header))

	resp, err := t.base.RoundTrip(out)
	if err != nil {
		tracegen.RecordError(span, err)
		span.Finish()
		return resp, err
	}
	span.SetTag("http.status_code", resp.StatusCode)
	if resp.StatusCode >= 500 {
		span.SetTag("error", true)
	}
	span.Finish()
	return resp, nil
}

func tagPeer(span tracegen.Span, remoteAddr string) {
	host, port, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return
	}
	if ip := net.ParseIP(host); ip != nil {
		if ip.To4() != nil {
			span.SetTag("peer.ipv4", host)
		} else {
			span.SetTag("peer.ipv6", host)
		}
	}
	if p, err := strconv.ParseUint(port, 10, 16); err == nil {
		span.SetTag("peer.port", uint16(p))
	}
}

// statusRecorder remembers the status code a handler writes.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (Flush,
// Hijack, deadlines).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

type panicError struct{ v any }

func (p panicError) Error() string { return fmt.Sprint("panic: ", p.v) }
