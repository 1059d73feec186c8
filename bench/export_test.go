package bench_test

// Export throughput: spans per second encoded and sent over OTLP/HTTP to a
// local test server, by tracegen's exporter and by OpenTelemetry's
// otlptracehttp, in one run:
//
//	cd bench && go test -run '^$' -bench 'OTLP' -benchmem -count 6 . > export.txt
//	go run golang.org/x/perf/cmd/benchstat@latest export.txt
//
// BenchmarkOTLPExport measures the exporter alone: each operation is one
// ExportSpans call with a batch of 512 finished spans (2 string tags, one
// int tag, server kind), to a server that either discards the body or
// decodes it with the OTLP protobuf definitions.
//
// BenchmarkOTLPPipeline measures the whole path: each operation starts and
// finishes one span with the same tags on one goroutine, through the default
// batch processor and the exporter, to the decoding server; the spans the
// server decoded are reported per span started (1.0 means none dropped) and
// per second of the benchmark.

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tracegen/tracegen/runtime/exporter/otlp"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	semconv "go.opentelemetry.io/otel/semconv/v1.37.0"
	"go.opentelemetry.io/otel/trace"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

const exportBatch = 512

// collector is a local OTLP/HTTP server counting what it receives.
type collector struct {
	srv   *httptest.Server
	spans atomic.Int64
	bytes atomic.Int64
}

func newCollector(b *testing.B, decode bool) *collector {
	c := &collector{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		c.bytes.Add(int64(len(body)))
		if decode {
			req := &collectorpb.ExportTraceServiceRequest{}
			if err := proto.Unmarshal(body, req); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			for _, rs := range req.ResourceSpans {
				for _, ss := range rs.ScopeSpans {
					c.spans.Add(int64(len(ss.Spans)))
				}
			}
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	b.Cleanup(c.srv.Close)
	return c
}

func (c *collector) url() string { return c.srv.URL + "/v1/traces" }

// tracegenBatch is 512 finished spans as our exporter receives them.
func tracegenBatch() []*tracer.SpanData {
	res := &tracer.Resource{ServiceName: "bench"}
	now := time.Now()
	out := make([]*tracer.SpanData, exportBatch)
	for i := range out {
		var sc tracer.SpanContext
		rand.Read(sc.TraceID[:])
		rand.Read(sc.SpanID[:])
		sc.Flags = tracer.FlagSampled
		parent := sc
		rand.Read(parent.SpanID[:])
		out[i] = &tracer.SpanData{
			Name: "GET /api/users", Context: sc, Parent: parent, Kind: "server",
			Start: now, End: now.Add(time.Millisecond), Resource: res,
			Tags: []log.Field{log.String("http.method", "GET"), log.String("http.route", "/api/users"), log.Int("http.status_code", 200)},
		}
	}
	return out
}

// otelBatch is the same 512 spans as OpenTelemetry's exporter receives them.
func otelBatch() []sdktrace.ReadOnlySpan {
	res := resource.NewSchemaless(semconv.ServiceName("bench"))
	now := time.Now()
	stubs := make(tracetest.SpanStubs, exportBatch)
	for i := range stubs {
		var tid trace.TraceID
		var sid, pid trace.SpanID
		rand.Read(tid[:])
		rand.Read(sid[:])
		rand.Read(pid[:])
		stubs[i] = tracetest.SpanStub{
			Name:        "GET /api/users",
			SpanContext: trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: sid, TraceFlags: trace.FlagsSampled}),
			Parent:      trace.NewSpanContext(trace.SpanContextConfig{TraceID: tid, SpanID: pid, TraceFlags: trace.FlagsSampled}),
			SpanKind:    trace.SpanKindServer, StartTime: now, EndTime: now.Add(time.Millisecond),
			Attributes: []attribute.KeyValue{attribute.String("http.method", "GET"), attribute.String("http.route", "/api/users"), attribute.Int("http.status_code", 200)},
			Resource:   res,
		}
	}
	return stubs.Snapshots()
}

func reportSpansPerSecond(b *testing.B, spans int64) {
	b.ReportMetric(float64(spans)/b.Elapsed().Seconds(), "spans/s")
}

func BenchmarkOTLPExport(b *testing.B) {
	for _, server := range []struct {
		name   string
		decode bool
	}{{"discard", false}, {"decode", true}} {
		b.Run("tracegen/"+server.name, func(b *testing.B) {
			c := newCollector(b, server.decode)
			exp, err := otlp.New(otlp.WithEndpoint(c.url()))
			if err != nil {
				b.Fatal(err)
			}
			defer exp.Shutdown(context.Background())
			batch := tracegenBatch()
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := exp.ExportSpans(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			reportSpansPerSecond(b, int64(b.N)*exportBatch)
			b.ReportMetric(float64(c.bytes.Load())/float64(int64(b.N)*exportBatch), "B/span")
		})
		b.Run("otel/"+server.name, func(b *testing.B) {
			c := newCollector(b, server.decode)
			ctx := context.Background()
			exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(c.url()))
			if err != nil {
				b.Fatal(err)
			}
			defer exp.Shutdown(ctx)
			batch := otelBatch()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if err := exp.ExportSpans(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			reportSpansPerSecond(b, int64(b.N)*exportBatch)
			b.ReportMetric(float64(c.bytes.Load())/float64(int64(b.N)*exportBatch), "B/span")
		})
	}
}

func BenchmarkOTLPPipeline(b *testing.B) {
	b.Run("tracegen", func(b *testing.B) {
		c := newCollector(b, true)
		exp, err := otlp.New(otlp.WithEndpoint(c.url()))
		if err != nil {
			b.Fatal(err)
		}
		bp := tracer.NewBatchProcessor(exp)
		tr := tracer.New(tracer.WithServiceName("bench"), tracer.WithProcessor(bp))
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			s := tr.StartSpan("GET /api/users")
			s.SetTag("http.method", "GET")
			s.SetTag("http.route", "/api/users")
			s.SetTag("http.status_code", 200)
			s.Finish()
		}
		if err := tr.Shutdown(context.Background()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		got := c.spans.Load()
		reportSpansPerSecond(b, got)
		b.ReportMetric(float64(got)/float64(b.N), "exported/started")
		if st := bp.Stats(); st.Dropped+st.Queued != uint64(b.N) {
			b.Errorf("stats %+v do not count all %d spans", st, b.N)
		}
	})
	b.Run("otel", func(b *testing.B) {
		c := newCollector(b, true)
		ctx := context.Background()
		exp, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(c.url()))
		if err != nil {
			b.Fatal(err)
		}
		tp := sdktrace.NewTracerProvider(
			sdktrace.WithBatcher(exp),
			sdktrace.WithSampler(sdktrace.AlwaysSample()),
			sdktrace.WithResource(resource.NewSchemaless(semconv.ServiceName("bench"))),
		)
		tr := tp.Tracer("bench")
		b.ReportAllocs()
		b.ResetTimer()
		for range b.N {
			_, s := tr.Start(ctx, "GET /api/users", trace.WithSpanKind(trace.SpanKindServer))
			s.SetAttributes(attribute.String("http.method", "GET"), attribute.String("http.route", "/api/users"), attribute.Int("http.status_code", 200))
			s.End()
		}
		if err := tp.Shutdown(ctx); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		got := c.spans.Load()
		reportSpansPerSecond(b, got)
		b.ReportMetric(float64(got)/float64(b.N), "exported/started")
	})
}
