package tracehttp

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"sync"

	tracegen "github.com/tracegen/tracegen/runtime"
)

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
	var parent tracegen.SpanContext
	if p := tracegen.SpanFromContext(req.Context()); p != nil {
		parent = p.Context()
	}
	span, name := t.startSpan(req, parent, "client")
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
	if t.callerName != "" {
		for _, h := range t.callerNameHeaders {
			out.Header.Set(h, t.callerName)
		}
	}
	for _, h := range t.calleeEndpointHeaders {
		out.Header.Set(h, name)
	}

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
	if resp.Body == nil || resp.Body == http.NoBody || req.Method == http.MethodHead {
		span.Finish()
		return resp, nil
	}
	resp.Body = newSpanBody(resp.Body, span)
	return resp, nil
}

// spanBody finishes the client span when the body is read to its end,
// fails, or is closed, whichever comes first. It keeps io.Writer for
// bodies that have it (a 101 Switching Protocols response's connection).
type spanBody struct {
	rc   io.ReadCloser
	span tracegen.Span
	once sync.Once
}

func newSpanBody(rc io.ReadCloser, span tracegen.Span) io.ReadCloser {
	b := &spanBody{rc: rc, span: span}
	if w, ok := rc.(io.Writer); ok {
		return &spanBodyWriter{b, w}
	}
	return b
}

func (b *spanBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	switch {
	case err == io.EOF:
		b.finish(nil)
	case err != nil:
		b.finish(err)
	}
	return n, err
}

func (b *spanBody) Close() error {
	err := b.rc.Close()
	b.finish(nil)
	return err
}

func (b *spanBody) finish(err error) {
	b.once.Do(func() {
		if err != nil && !errors.Is(err, http.ErrBodyReadAfterClose) {
			tracegen.RecordError(b.span, err)
		}
		b.span.Finish()
	})
}

type spanBodyWriter struct {
	*spanBody
	w io.Writer
}

func (b *spanBodyWriter) Write(p []byte) (int, error) { return b.w.Write(p) }
