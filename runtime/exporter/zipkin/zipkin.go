// Package zipkin exports spans to Zipkin (or anything that accepts Zipkin v2
// JSON, such as Jaeger's zipkin receiver) by HTTP POST.
//
//	exp := zipkin.New(zipkin.WithEndpoint("http://localhost:9411/api/v2/spans"))
//
// Mapping: traceId (32 hex digits, or 16 for a 64-bit id), id, parentId, name, kind (CLIENT, SERVER,
// PRODUCER, CONSUMER; absent for internal spans), timestamp and duration in
// microseconds, localEndpoint.serviceName from the resource,
// remoteEndpoint from the peer.service, peer.ipv4, peer.ipv6,
// peer.hostname and peer.port tags, every other tag as a string, resource
// attributes as tags, logs as annotations (the "event" field's value alone,
// else the fields as a JSON object), and an "error" tag holding the error
// message (or "true") for failed spans.
//
// Transient failures are retried; see runtime/exporter.
package zipkin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tracegen/tracegen/runtime/exporter/internal/retry"
	"github.com/tracegen/tracegen/runtime/exporter/internal/spanfmt"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// DefaultEndpoint is where spans go when no endpoint is configured.
const DefaultEndpoint = "http://localhost:9411/api/v2/spans"

// Option configures an Exporter.
type Option interface{ apply(*Exporter) }

type optionFunc func(*Exporter)

func (f optionFunc) apply(e *Exporter) { f(e) }

// WithEndpoint sets the full URL spans are posted to.
func WithEndpoint(url string) Option { return optionFunc(func(e *Exporter) { e.endpoint = url }) }

// WithHTTPClient sets the HTTP client (default: a client of its own).
func WithHTTPClient(c *http.Client) Option { return optionFunc(func(e *Exporter) { e.client = c }) }

// WithTimeout bounds one export, retries included (default 10s). The
// export context's own deadline applies too.
func WithTimeout(d time.Duration) Option { return optionFunc(func(e *Exporter) { e.timeout = d }) }

// WithHeaders adds headers to every request.
func WithHeaders(h map[string]string) Option {
	return optionFunc(func(e *Exporter) { e.headers = h })
}

// Exporter posts spans as Zipkin v2 JSON.
type Exporter struct {
	endpoint string
	client   *http.Client
	timeout  time.Duration
	headers  map[string]string
	policy   retry.Policy
	closed   atomic.Bool
	stats    Stats
}

// Stats counts what the exporter did.
type Stats struct {
	// Exported counts spans the server accepted; Failed spans whose export
	// returned an error; Retries the extra requests sent.
	Exported, Failed, Retries atomic.Int64
}

var _ tracer.SpanReleaser = (*Exporter)(nil)

// New returns an exporter; see the package documentation for defaults.
func New(opts ...Option) *Exporter {
	e := &Exporter{endpoint: DefaultEndpoint, timeout: 10 * time.Second, policy: retry.DefaultPolicy}
	for _, o := range opts {
		o.apply(e)
	}
	if e.client == nil {
		e.client = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	}
	return e
}

// Stats returns the exporter's counters.
func (e *Exporter) Stats() *Stats { return &e.stats }

// ErrShutdown is returned by ExportSpans after Shutdown.
var ErrShutdown = errors.New("zipkin: exporter is shut down")

// ExportSpans posts spans as one JSON array.
func (e *Exporter) ExportSpans(ctx context.Context, spans []*tracer.SpanData) error {
	if e.closed.Load() {
		return ErrShutdown
	}
	if len(spans) == 0 {
		return nil
	}
	body, err := Encode(spans)
	if err != nil {
		return err
	}
	if e.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.timeout)
		defer cancel()
	}
	res, err := e.policy.Do(ctx, e.client, func(ctx context.Context) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.endpoint, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		for k, v := range e.headers {
			req.Header.Set(k, v)
		}
		return req, nil
	})
	if res.Attempts > 1 {
		e.stats.Retries.Add(int64(res.Attempts - 1))
	}
	if err != nil {
		e.stats.Failed.Add(int64(len(spans)))
		return fmt.Errorf("zipkin: export to %s: %w", e.endpoint, err)
	}
	e.stats.Exported.Add(int64(len(spans)))
	return nil
}

// ReleasesSpans implements tracer.SpanReleaser: the spans are encoded
// within ExportSpans, so the tracer may reuse them after.
func (e *Exporter) ReleasesSpans() bool { return true }

// Shutdown makes later exports fail and closes idle connections.
func (e *Exporter) Shutdown(ctx context.Context) error {
	e.closed.Store(true)
	e.client.CloseIdleConnections()
	return nil
}

// span is one Zipkin v2 span.
type span struct {
	TraceID        string            `json:"traceId"`
	ID             string            `json:"id"`
	ParentID       string            `json:"parentId,omitempty"`
	Name           string            `json:"name,omitempty"`
	Kind           string            `json:"kind,omitempty"`
	Timestamp      int64             `json:"timestamp"`
	Duration       int64             `json:"duration"`
	LocalEndpoint  *endpoint         `json:"localEndpoint,omitempty"`
	RemoteEndpoint *endpoint         `json:"remoteEndpoint,omitempty"`
	Annotations    []annotation      `json:"annotations,omitempty"`
	Tags           map[string]string `json:"tags,omitempty"`
}

type endpoint struct {
	ServiceName string `json:"serviceName,omitempty"`
	IPv4        string `json:"ipv4,omitempty"`
	IPv6        string `json:"ipv6,omitempty"`
	Port        int    `json:"port,omitempty"`
}

type annotation struct {
	Timestamp int64  `json:"timestamp"`
	Value     string `json:"value"`
}

// Encode returns spans as a Zipkin v2 JSON array.
func Encode(spans []*tracer.SpanData) ([]byte, error) {
	out := make([]span, len(spans))
	for i, s := range spans {
		out[i] = convert(s)
	}
	return json.Marshal(out)
}

func convert(s *tracer.SpanData) span {
	z := span{
		TraceID:   traceID(s.Context.TraceID),
		ID:        s.Context.SpanID.String(),
		Name:      s.Name,
		Kind:      kind(s.Kind),
		Timestamp: s.Start.UnixMicro(),
		Duration:  max(s.End.Sub(s.Start).Microseconds(), 1),
	}
	if s.Parent.SpanID.IsValid() {
		z.ParentID = s.Parent.SpanID.String()
	}
	if svc := spanfmt.ServiceName(s); svc != "" {
		z.LocalEndpoint = &endpoint{ServiceName: svc}
	}
	tags := make(map[string]string, len(s.Tags)+2)
	var remote endpoint
	for _, f := range s.Tags {
		v := spanfmt.String(f)
		switch f.Key() {
		case "error":
			continue
		case "peer.service":
			remote.ServiceName = v
		case "peer.ipv4":
			remote.IPv4 = v
		case "peer.ipv6":
			remote.IPv6 = v
		case "peer.hostname":
			if ip := net.ParseIP(v); ip != nil {
				if ip.To4() != nil {
					remote.IPv4 = ip.String()
				} else {
					remote.IPv6 = ip.String()
				}
			}
		case "peer.port":
			if p, err := strconv.Atoi(v); err == nil && p > 0 && p < 65536 {
				remote.Port = p
			}
		}
		tags[f.Key()] = v
	}
	if remote != (endpoint{}) {
		z.RemoteEndpoint = &remote
	}
	if s.Resource != nil {
		for _, f := range s.Resource.Attributes {
			if f.Key() == "service.name" {
				continue
			}
			if _, ok := tags[f.Key()]; !ok {
				tags[f.Key()] = spanfmt.String(f)
			}
		}
	}
	if s.Error {
		msg := spanfmt.ErrorMessage(s)
		if msg == "" {
			msg = "true"
		}
		tags["error"] = msg
	}
	if len(tags) > 0 {
		z.Tags = tags
	}
	for _, l := range s.Logs {
		z.Annotations = append(z.Annotations, annotation{Timestamp: l.Timestamp.UnixMicro(), Value: annotationValue(l.Fields)})
	}
	return z
}

// traceID is 32 hex digits, or 16 when the high half is zero (a 64-bit id
// that came from B3 or Jaeger propagation).
func traceID(id tracer.TraceID) string {
	if [8]byte(id[:8]) == [8]byte{} {
		return id.String()[16:]
	}
	return id.String()
}

func kind(k string) string {
	switch strings.ToLower(k) {
	case "client":
		return "CLIENT"
	case "server":
		return "SERVER"
	case "producer":
		return "PRODUCER"
	case "consumer":
		return "CONSUMER"
	}
	return ""
}
