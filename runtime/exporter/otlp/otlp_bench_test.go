package otlp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/tracegen/tracegen/runtime/exporter/otlp"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
)

func benchSpans(n int) []*tracer.SpanData {
	res := &tracer.Resource{ServiceName: "bench"}
	out := make([]*tracer.SpanData, n)
	for i := range out {
		out[i] = &tracer.SpanData{
			Name: "GET /api/users", Context: ctxOf(1, byte(i)), Parent: ctxOf(1, 200), Kind: "server",
			Start: t0, End: t0.Add(time.Millisecond), Resource: res,
			Tags: []log.Field{log.String("http.method", "GET"), log.String("http.route", "/api/users"), log.Int("http.status_code", 200)},
		}
	}
	return out
}

// BenchmarkEncode measures encoding the request for 512 spans, without the
// network.
func BenchmarkEncode(b *testing.B) {
	spans := benchSpans(512)
	var buf []byte
	b.ReportAllocs()
	for range b.N {
		buf = otlp.AppendRequest(buf[:0], spans)
	}
	b.ReportMetric(float64(b.N*512)/b.Elapsed().Seconds(), "spans/s")
}

// BenchmarkExportHTTP adds the HTTP round trip to a loopback server that
// discards the body.
func BenchmarkExportHTTP(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 32<<10)
		for {
			if _, err := r.Body.Read(buf); err != nil {
				break
			}
		}
	}))
	defer srv.Close()
	exp, err := otlp.New(otlp.WithEndpoint(srv.URL + "/v1/traces"))
	if err != nil {
		b.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	spans := benchSpans(512)
	b.ReportAllocs()
	for range b.N {
		if err := exp.ExportSpans(context.Background(), spans); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*512)/b.Elapsed().Seconds(), "spans/s")
}
