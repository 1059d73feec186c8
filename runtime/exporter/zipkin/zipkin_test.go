package zipkin_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/openzipkin/zipkin-go/model"
	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/zipkin"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func ctxOf(trace, span byte) tracer.SpanContext {
	return tracer.SpanContext{TraceID: tracer.TraceID{0: 0xab, 15: trace}, SpanID: tracer.SpanID{0: 0xcd, 7: span}, Flags: tracer.FlagSampled}
}

// collector is an httptest Zipkin server decoding with the official model.
type collector struct {
	mu    sync.Mutex
	spans []model.SpanModel
	ctype string
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/api/v2/spans" {
		http.Error(w, "bad request line", http.StatusNotFound)
		return
	}
	var spans []model.SpanModel
	if err := json.NewDecoder(r.Body).Decode(&spans); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.spans = append(c.spans, spans...)
	c.ctype = r.Header.Get("Content-Type")
	c.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

func TestExportDecodedWithZipkinModel(t *testing.T) {
	t.Parallel()
	col := &collector{}
	srv := httptest.NewServer(col)
	defer srv.Close()
	exp := zipkin.New(zipkin.WithEndpoint(srv.URL + "/api/v2/spans"))

	res := &tracer.Resource{ServiceName: "frontend", Attributes: []log.Field{log.String("deployment.environment", "test"), log.String("service.name", "ignored")}}
	server := &tracer.SpanData{
		Name: "GET /", Context: ctxOf(1, 1), Kind: "server", Start: t0, End: t0.Add(5 * time.Millisecond), Resource: res,
		Tags: []log.Field{log.String("http.method", "GET"), log.Int("http.status_code", 500), log.Bool("error", true)},
		Logs: []runtime.LogRecord{
			{Timestamp: t0.Add(time.Millisecond), Fields: []log.Field{log.String("event", "cache miss")}},
			{Timestamp: t0.Add(2 * time.Millisecond), Fields: []log.Field{log.String("event", "error"), log.String("message", "backend failed"), log.Int("attempt", 2)}},
		},
		Error: true,
	}
	client := &tracer.SpanData{
		Name: "call backend", Context: ctxOf(1, 2), Parent: ctxOf(1, 1), Kind: "client", Start: t0.Add(time.Millisecond), End: t0.Add(3 * time.Millisecond), Resource: res,
		Tags: []log.Field{log.String("peer.service", "backend"), log.String("peer.ipv4", "10.0.0.7"), log.Int("peer.port", 8080), log.Float64("weight", 0.25)},
	}
	producer := &tracer.SpanData{Name: "send", Context: ctxOf(1, 3), Parent: ctxOf(1, 1), Kind: "producer", Start: t0, End: t0, Resource: res,
		Tags: []log.Field{log.String("peer.hostname", "::1")}}
	consumer := &tracer.SpanData{Name: "recv", Context: ctxOf(1, 4), Parent: ctxOf(1, 3), Kind: "consumer", Start: t0, End: t0.Add(time.Microsecond)}
	internal := &tracer.SpanData{Name: "compute", Context: ctxOf(1, 5), Parent: ctxOf(1, 1), Start: t0, End: t0.Add(time.Second), Resource: res}

	if err := exp.ExportSpans(context.Background(), []*tracer.SpanData{server, client, producer, consumer, internal}); err != nil {
		t.Fatal(err)
	}
	traceID := model.TraceID{High: 0xab00000000000000, Low: 1}
	parent := func(n uint64) *model.ID { id := model.ID(0xcd00000000000000 | n); return &id }
	ep := &model.Endpoint{ServiceName: "frontend"}
	want := []model.SpanModel{
		{
			SpanContext: model.SpanContext{TraceID: traceID, ID: 0xcd00000000000001},
			Name:        "GET /", Kind: model.Server, Timestamp: t0, Duration: 5 * time.Millisecond, LocalEndpoint: ep,
			Annotations: []model.Annotation{
				{Timestamp: t0.Add(time.Millisecond), Value: "cache miss"},
				{Timestamp: t0.Add(2 * time.Millisecond), Value: `{"event":"error","message":"backend failed","attempt":"2"}`},
			},
			Tags: map[string]string{"http.method": "GET", "http.status_code": "500", "error": "backend failed", "deployment.environment": "test"},
		},
		{
			SpanContext: model.SpanContext{TraceID: traceID, ID: 0xcd00000000000002, ParentID: parent(1)},
			Name:        "call backend", Kind: model.Client, Timestamp: t0.Add(time.Millisecond), Duration: 2 * time.Millisecond, LocalEndpoint: ep,
			RemoteEndpoint: &model.Endpoint{ServiceName: "backend", IPv4: net.ParseIP("10.0.0.7").To4(), Port: 8080},
			Tags:           map[string]string{"peer.service": "backend", "peer.ipv4": "10.0.0.7", "peer.port": "8080", "weight": "0.25", "deployment.environment": "test"},
		},
		{
			SpanContext: model.SpanContext{TraceID: traceID, ID: 0xcd00000000000003, ParentID: parent(1)},
			Name:        "send", Kind: model.Producer, Timestamp: t0, Duration: time.Microsecond, LocalEndpoint: ep,
			RemoteEndpoint: &model.Endpoint{IPv6: net.ParseIP("::1")},
			Tags:           map[string]string{"peer.hostname": "::1", "deployment.environment": "test"},
		},
		{
			SpanContext: model.SpanContext{TraceID: traceID, ID: 0xcd00000000000004, ParentID: parent(3)},
			Name:        "recv", Kind: model.Consumer, Timestamp: t0, Duration: time.Microsecond,
		},
		{
			SpanContext: model.SpanContext{TraceID: traceID, ID: 0xcd00000000000005, ParentID: parent(1)},
			Name:        "compute", Kind: model.Undetermined, Timestamp: t0, Duration: time.Second, LocalEndpoint: ep,
			Tags: map[string]string{"deployment.environment": "test"},
		},
	}
	col.mu.Lock()
	defer col.mu.Unlock()
	normalise := cmp.Transformer("utc", func(t time.Time) time.Time { return t.UTC() })
	if diff := cmp.Diff(want, col.spans, normalise, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
	if col.ctype != "application/json" {
		t.Errorf("Content-Type %q", col.ctype)
	}
	if got := exp.Stats().Exported.Load(); got != 5 {
		t.Errorf("Exported = %d, want 5", got)
	}
}

func TestEncodeErrorWithoutMessage(t *testing.T) {
	t.Parallel()
	b, err := zipkin.Encode([]*tracer.SpanData{{Name: "x", Context: ctxOf(1, 1), Start: t0, End: t0, Error: true}})
	if err != nil {
		t.Fatal(err)
	}
	var spans []model.SpanModel
	if err := json.Unmarshal(b, &spans); err != nil {
		t.Fatal(err)
	}
	if got := spans[0].Tags["error"]; got != "true" {
		t.Errorf("error tag %q, want %q", got, "true")
	}
}

func TestExportErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		want   string
	}{
		{"bad request", http.StatusBadRequest, "HTTP status 400 Bad Request: nope"},
		{"server error", http.StatusInternalServerError, "HTTP status 500 Internal Server Error: nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls int
			var mu sync.Mutex
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				calls++
				mu.Unlock()
				io.Copy(io.Discard, r.Body)
				http.Error(w, "nope", tc.status)
			}))
			defer srv.Close()
			exp := zipkin.New(zipkin.WithEndpoint(srv.URL))
			err := exp.ExportSpans(context.Background(), []*tracer.SpanData{{Name: "x", Context: ctxOf(1, 1)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
			if calls != 1 {
				t.Errorf("%d requests, want 1 (no retry)", calls)
			}
			if got := exp.Stats().Failed.Load(); got != 1 {
				t.Errorf("Failed = %d, want 1", got)
			}
		})
	}
}

func TestShutdown(t *testing.T) {
	t.Parallel()
	exp := zipkin.New()
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := exp.ExportSpans(context.Background(), []*tracer.SpanData{{Name: "x"}}); !errors.Is(err, zipkin.ErrShutdown) {
		t.Errorf("after shutdown: %v", err)
	}
}

func TestEncode64BitTraceID(t *testing.T) {
	t.Parallel()
	sc := tracer.SpanContext{TraceID: tracer.TraceID{8: 0x12, 15: 0x34}, SpanID: tracer.SpanID{7: 1}}
	b, err := zipkin.Encode([]*tracer.SpanData{{Name: "x", Context: sc, Start: t0, End: t0}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"traceId":"1200000000000034"`) {
		t.Errorf("64-bit trace id not written as 16 hex digits: %s", b)
	}
	var spans []model.SpanModel
	if err := json.Unmarshal(b, &spans); err != nil {
		t.Fatal(err)
	}
	if want := (model.TraceID{Low: 0x1200000000000034}); spans[0].TraceID != want {
		t.Errorf("decoded trace id %v, want %v", spans[0].TraceID, want)
	}
}
