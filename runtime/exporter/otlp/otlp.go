// Package otlp exports spans with the OpenTelemetry protocol to an
// OpenTelemetry Collector, Jaeger, or any OTLP receiver, over HTTP with
// protobuf bodies (POST {endpoint}/v1/traces, optionally gzipped) or gRPC.
// Requests are encoded straight from the spans with protowire, to the
// official OTLP definitions, without building protobuf messages first; the
// package links no protobuf runtime and no gRPC.
//
//	exp, err := otlp.New(otlp.WithEndpoint("http://localhost:4318/v1/traces"))
//
// gRPC is opt-in, so that programs sending over HTTP do not carry it: import
// the transport once, anywhere in the program, and use WithGRPC.
//
//	import _ "github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc"
//
//	exp, err := otlp.New(otlp.WithGRPC("localhost:4317"))
//
// Mapping: tags become attributes keeping their types (string, bool, int64,
// double; other values as text); logs become events named by their "event"
// field ("log" when absent) with the other fields as attributes; the error
// tag becomes status ERROR with the error's message; span.kind becomes the
// span kind; references other than the parent (follows-from) become links
// with an opentracing.ref_type attribute; the trace state, the parent span
// id and whether the parent is remote are kept; the resource carries
// service.name and the resource attributes; the instrumentation scope is
// ScopeName.
//
// Over HTTP, 429, 502, 503, 504 and network errors are retried with backoff,
// honouring Retry-After; over gRPC, Unavailable and ResourceExhausted are.
// Partial successes (spans the server rejected) are counted in Stats and
// reported to the error handler.
package otlp

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	stdlog "log"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/tracegen/tracegen/runtime/exporter/internal/retry"
	"github.com/tracegen/tracegen/runtime/exporter/otlp/internal/grpcdial"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// GRPCImport is the package a program imports to make WithGRPC work.
const GRPCImport = "github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc"

// ErrNoGRPC is returned by New for WithGRPC in a program that does not
// import GRPCImport.
var ErrNoGRPC = errors.New(`otlp: gRPC is not linked into this program: add import _ "` + GRPCImport + `"`)

// DefaultEndpoint is the URL spans are posted to over HTTP by default.
const DefaultEndpoint = "http://localhost:4318/v1/traces"

// Option configures an Exporter.
type Option interface{ apply(*config) }

type config struct {
	endpoint    string
	grpcTarget  string
	grpcTLS     bool
	headers     map[string]string
	gzip        bool
	timeout     time.Duration
	client      *http.Client
	onError     func(error)
	retryPolicy retry.Policy
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithEndpoint sets the full URL of the HTTP receiver, path included
// (default DefaultEndpoint).
func WithEndpoint(url string) Option { return optionFunc(func(c *config) { c.endpoint = url }) }

// WithGRPC sends over gRPC to target ("host:port") instead of HTTP, without
// TLS unless WithGRPCTLS is given too. The program must import GRPCImport;
// New returns ErrNoGRPC otherwise.
func WithGRPC(target string) Option { return optionFunc(func(c *config) { c.grpcTarget = target }) }

// WithGRPCTLS makes the gRPC connection use TLS with the system roots.
func WithGRPCTLS() Option { return optionFunc(func(c *config) { c.grpcTLS = true }) }

// WithHeaders adds headers (gRPC metadata) to every request, e.g. for
// authentication.
func WithHeaders(h map[string]string) Option {
	return optionFunc(func(c *config) { c.headers = h })
}

// WithGzip compresses request bodies.
func WithGzip() Option { return optionFunc(func(c *config) { c.gzip = true }) }

// WithTimeout bounds one export, retries included (default 10s). The export
// context's own deadline applies too.
func WithTimeout(d time.Duration) Option { return optionFunc(func(c *config) { c.timeout = d }) }

// WithHTTPClient sets the HTTP client (default: a client of its own).
func WithHTTPClient(cl *http.Client) Option { return optionFunc(func(c *config) { c.client = cl }) }

// WithErrorHandler receives partial-success messages (by default written
// with the standard log package).
func WithErrorHandler(f func(error)) Option { return optionFunc(func(c *config) { c.onError = f }) }

// Stats counts what an exporter did.
type Stats struct {
	// Exported: spans sent and accepted, including rejected ones.
	Exported atomic.Int64
	// Rejected: spans the server reported as rejected in a partial success.
	Rejected atomic.Int64
	// Failed: spans whose export returned an error.
	Failed atomic.Int64
	// Retries: extra requests sent.
	Retries atomic.Int64
}

// Exporter sends spans with OTLP.
type Exporter struct {
	cfg    config
	send   func(ctx context.Context, request []byte) (response []byte, attempts int, err error)
	close  func() error
	closed atomic.Bool
	stats  Stats
}

var _ tracer.SpanReleaser = (*Exporter)(nil)

// New returns an exporter. It fails only for WithGRPC: an invalid target,
// or ErrNoGRPC.
func New(opts ...Option) (*Exporter, error) {
	e := &Exporter{
		cfg: config{
			endpoint:    DefaultEndpoint,
			timeout:     10 * time.Second,
			retryPolicy: retry.DefaultPolicy,
			onError:     func(err error) { stdlog.Print(err) },
		},
	}
	for _, o := range opts {
		o.apply(&e.cfg)
	}
	if e.cfg.grpcTarget != "" {
		if grpcdial.Dial == nil {
			return nil, ErrNoGRPC
		}
		conn, err := grpcdial.Dial(grpcdial.Config{
			Target: e.cfg.grpcTarget, TLS: e.cfg.grpcTLS, Headers: e.cfg.headers, Gzip: e.cfg.gzip, Retry: e.cfg.retryPolicy,
		})
		if err != nil {
			return nil, err
		}
		e.send, e.close = conn.Export, conn.Close
		return e, nil
	}
	if e.cfg.client == nil {
		e.cfg.client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	e.send = e.sendHTTP
	e.close = func() error { e.cfg.client.CloseIdleConnections(); return nil }
	return e, nil
}

// Stats returns the exporter's counters.
func (e *Exporter) Stats() *Stats { return &e.stats }

// ErrShutdown is returned by ExportSpans after Shutdown.
var ErrShutdown = errors.New("otlp: exporter is shut down")

// ExportSpans sends spans in one request.
func (e *Exporter) ExportSpans(ctx context.Context, spans []*tracer.SpanData) error {
	if e.closed.Load() {
		return ErrShutdown
	}
	if len(spans) == 0 {
		return nil
	}
	if e.cfg.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.cfg.timeout)
		defer cancel()
	}
	// A fresh buffer each time: the transport may still be reading a
	// request body after Do returns (a server that answers early), so the
	// bytes cannot be reused safely.
	resp, attempts, err := e.send(ctx, AppendRequest(nil, spans))
	if attempts > 1 {
		e.stats.Retries.Add(int64(attempts - 1))
	}
	if err != nil {
		e.stats.Failed.Add(int64(len(spans)))
		return err
	}
	e.stats.Exported.Add(int64(len(spans)))
	if rejected, msg := partialSuccess(resp); rejected > 0 || msg != "" {
		e.stats.Rejected.Add(rejected)
		e.cfg.onError(fmt.Errorf("otlp: partial success: %d of %d spans rejected: %s", rejected, len(spans), msg))
	}
	return nil
}

// ReleasesSpans implements tracer.SpanReleaser: the request is encoded
// from the spans within ExportSpans, so the tracer may reuse them after.
func (e *Exporter) ReleasesSpans() bool { return true }

// Shutdown makes later exports fail and closes connections.
func (e *Exporter) Shutdown(ctx context.Context) error {
	if e.closed.Swap(true) {
		return nil
	}
	return e.close()
}

func (e *Exporter) sendHTTP(ctx context.Context, raw []byte) ([]byte, int, error) {
	body := raw
	if e.cfg.gzip {
		var zb bytes.Buffer
		zw := gzip.NewWriter(&zb)
		zw.Write(raw)
		zw.Close()
		body = zb.Bytes()
	}
	res, err := e.cfg.retryPolicy.Do(ctx, e.cfg.client, func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodPost, e.cfg.endpoint, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		r.Header.Set("Content-Type", "application/x-protobuf")
		if e.cfg.gzip {
			r.Header.Set("Content-Encoding", "gzip")
		}
		for k, v := range e.cfg.headers {
			r.Header.Set(k, v)
		}
		return r, nil
	})
	if err != nil {
		return nil, res.Attempts, fmt.Errorf("otlp: export to %s: %w", e.cfg.endpoint, err)
	}
	return res.Body, res.Attempts, nil
}
