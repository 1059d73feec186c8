// Package tracehttp traces HTTP servers and clients: the Go counterpart of the
// instrumentation library's http_server before_request helper and its
// urllib2/requests client hooks.
//
// Middleware wraps an http.Handler: it continues the trace the request
// carries in its headers (or starts one), makes the server span active in
// the request's context, and tags it with span.kind=server, http.method,
// http.url, http.status_code (200 for a handler that only writes a body),
// peer.ipv4 or peer.ipv6, peer.port and, from the caller-name headers,
// peer.service. The span is named after the route pattern the request
// matched in an http.ServeMux (Go 1.23's Request.Pattern, read once the
// handler ran: "GET /items/{id}"), so names stay few; without one, after
// the method ("GET"). A 5xx status is an error; a panic is recorded and
// raised again. The writer the handler gets keeps http.Flusher,
// http.Hijacker, io.ReaderFrom and http.ResponseController working.
//
// Transport wraps an http.RoundTripper: each request becomes a client span,
// a child of the span in the request's context, whose context is injected
// into the outgoing headers (a clone of the request: the caller's is not
// changed). The span ends when the response body is read to its end or
// closed, not when the headers arrive, so it covers the whole exchange;
// a transport error or one reading the body (a timeout) is recorded on it.
//
// Neither records userinfo (user:password@) or query values: http.url is
// the URL with its query's values written REDACTED, unless
// WithQueryValues says otherwise. Bodies are never recorded.
package tracehttp

import (
	"fmt"
	"net/http"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/fastpath"
)

// Option configures Middleware and Transport.
type Option func(*config)

type config struct {
	tracer        tracegen.Tracer
	operationName func(*http.Request) string // nil: the route, or the method
	component     string
	queryValues   bool

	callerNameHeaders     []string // server: where peer.service is read
	callerName            string   // client: written to callerNameHeaders
	calleeEndpointHeaders []string // client: the span's name is written there
}

func newConfig(component string, opts []Option) config {
	c := config{
		tracer:    tracegen.GlobalTracer(),
		component: component,
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

// WithOperationName names spans with f(request) instead of the route
// pattern or the method.
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

// WithQueryValues records the query's values in http.url. By default they
// are written REDACTED: tokens and personal data travel in query strings.
func WithQueryValues() Option { return func(c *config) { c.queryValues = true } }

// WithCallerNameHeaders names the request headers the caller's service name
// is read from, for the server span's peer.service (the seed's
// caller_name_headers): the first one present wins.
func WithCallerNameHeaders(headers ...string) Option {
	return func(c *config) { c.callerNameHeaders = append(c.callerNameHeaders, headers...) }
}

// WithCallerName makes Transport send name, this service's, in each of the
// headers, for the server to read (WithCallerNameHeaders on its side).
func WithCallerName(name string, headers ...string) Option {
	return func(c *config) {
		c.callerName = name
		c.callerNameHeaders = append(c.callerNameHeaders, headers...)
	}
}

// WithCalleeEndpointHeaders makes Transport send the client span's name
// (the endpoint called) in each of the headers (the seed's
// callee_endpoint_headers).
func WithCalleeEndpointHeaders(headers ...string) Option {
	return func(c *config) { c.calleeEndpointHeaders = append(c.calleeEndpointHeaders, headers...) }
}

// startSpan starts the span of a request, server or client side (kind),
// a child of parent when it is not nil, with the tags both sides have; it
// returns the span's name too. kind is an interface so that the callers'
// constants reach SetTag without a conversion that allocates.
func (c *config) startSpan(r *http.Request, parent tracegen.SpanContext, kind any) (tracegen.Span, string) {
	name := r.Method
	if c.operationName != nil {
		name = c.operationName(r)
	}
	span := fastpath.StartSpanWithOptions(c.tracer, name, tracegen.StartSpanOptions{Parent: parent})
	span.SetTag("span.kind", kind)
	span.SetTag("component", c.component)
	span.SetTag("http.method", r.Method)
	span.SetTag("http.url", safeURL(r.URL, c.queryValues))
	return span, name
}

type panicError struct{ v any }

func (p panicError) Error() string { return fmt.Sprint("panic: ", p.v) }
