package tracehttp

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strconv"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// Middleware returns a handler that traces each request served by next.
func Middleware(next http.Handler, opts ...Option) http.Handler {
	c := newConfig("net/http", opts)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var parent tracegen.SpanContext
		if sc, err := c.tracer.Extract(tracegen.HTTPHeaders, tracegen.HTTPHeadersCarrier(r.Header)); err == nil && sc != nil {
			parent = sc
		}
		span, _ := c.startSpan(r, parent, "server")
		tagPeer(span, r.RemoteAddr)
		for _, h := range c.callerNameHeaders {
			if v := r.Header.Get(h); v != "" {
				span.SetTag("peer.service", v)
				break
			}
		}

		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		inner := r.WithContext(tracegen.ContextWithSpan(r.Context(), span))
		defer func() {
			if c.operationName == nil {
				if p := routePattern(inner); p != "" {
					span.SetOperationName(routeName(r.Method, p))
				}
			}
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
		next.ServeHTTP(rec, inner)
	})
}

// routeName is a span name from a ServeMux pattern, with the method when
// the pattern has none: "GET /items/{id}".
func routeName(method, pattern string) string {
	if pattern != "" && pattern[0] != '/' {
		return pattern // "GET /x", or "host/x"
	}
	return method + " " + pattern
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

// statusRecorder remembers the status code a handler writes. It has the
// optional methods of the writers net/http gives handlers, each passed on,
// so that a handler's type assertions keep working; Unwrap serves
// http.ResponseController.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

var (
	_ http.Flusher  = (*statusRecorder)(nil)
	_ http.Hijacker = (*statusRecorder)(nil)
	_ io.ReaderFrom = (*statusRecorder)(nil)
)

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wroteHeader && code >= 200 {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	r.wroteHeader = true
	return r.ResponseWriter.Write(b)
}

// Flush sends buffered data to the client, as the underlying writer's
// Flush does; a writer that cannot flush is left alone.
func (r *statusRecorder) Flush() {
	r.wroteHeader = true
	_ = http.NewResponseController(r.ResponseWriter).Flush()
}

// Hijack takes over the connection, as the underlying writer's Hijack
// does; the status recorded is 101 Switching Protocols unless the handler
// wrote one.
func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil && !r.wroteHeader {
		r.status, r.wroteHeader = http.StatusSwitchingProtocols, true
	}
	return conn, rw, err
}

// ReadFrom copies src to the client through the underlying writer's
// ReadFrom, which net/http uses for sendfile.
func (r *statusRecorder) ReadFrom(src io.Reader) (int64, error) {
	r.wroteHeader = true
	if rf, ok := r.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(src)
	}
	return io.Copy(writerOnly{r.ResponseWriter}, src)
}

// writerOnly hides ReadFrom, so io.Copy does not call it back.
type writerOnly struct{ io.Writer }

// Unwrap lets http.ResponseController reach the underlying writer (Flush,
// Hijack, deadlines, full duplex).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
