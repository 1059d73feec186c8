package otlpgrpc_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"

	"github.com/tracegen/tracegen/runtime/exporter/otlp"
	_ "github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// receiver implements the OTLP trace service with the official
// definitions; it fails the first failures calls with Unavailable.
type receiver struct {
	collectorpb.UnimplementedTraceServiceServer
	mu       sync.Mutex
	failures int
	calls    int
	reqs     []*collectorpb.ExportTraceServiceRequest
	md       metadata.MD
	response *collectorpb.ExportTraceServiceResponse
}

func (g *receiver) Export(ctx context.Context, req *collectorpb.ExportTraceServiceRequest) (*collectorpb.ExportTraceServiceResponse, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls++
	if g.calls <= g.failures {
		return nil, status.Error(codes.Unavailable, "starting")
	}
	g.reqs = append(g.reqs, req)
	g.md, _ = metadata.FromIncomingContext(ctx)
	if g.response != nil {
		return g.response, nil
	}
	return &collectorpb.ExportTraceServiceResponse{}, nil
}

func serve(t *testing.T, rc *receiver) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	collectorpb.RegisterTraceServiceServer(gs, rc)
	go gs.Serve(l)
	t.Cleanup(gs.Stop)
	return l.Addr().String()
}

func spans() []*tracer.SpanData {
	t0 := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	res := &tracer.Resource{ServiceName: "svc"}
	ctx := tracer.SpanContext{TraceID: tracer.TraceID{0: 1, 15: 2}, SpanID: tracer.SpanID{7: 3}, Flags: tracer.FlagSampled}
	return []*tracer.SpanData{{
		Name: "GET /", Context: ctx, Kind: "server", Start: t0, End: t0.Add(time.Millisecond), Resource: res,
		Tags: []log.Field{log.String("http.method", "GET"), log.Int("http.status_code", 200)},
	}}
}

// TestExportGRPC: the server decodes exactly what otlp.AppendRequest
// encodes, gzipped and with the headers as metadata, after a retry.
func TestExportGRPC(t *testing.T) {
	t.Parallel()
	rc := &receiver{failures: 1}
	exp, err := otlp.New(otlp.WithGRPC(serve(t, rc)), otlp.WithGzip(), otlp.WithHeaders(map[string]string{"x-tenant": "a"}))
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	sp := spans()
	if err := exp.ExportSpans(context.Background(), sp); err != nil {
		t.Fatal(err)
	}
	want := &collectorpb.ExportTraceServiceRequest{}
	if err := proto.Unmarshal(otlp.AppendRequest(nil, sp), want); err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(rc.reqs))
	}
	if diff := cmp.Diff(want, rc.reqs[0], protocmp.Transform()); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if got := rc.md.Get("x-tenant"); len(got) != 1 || got[0] != "a" {
		t.Errorf("metadata x-tenant = %q", got)
	}
	if got := exp.Stats().Retries.Load(); got != 1 {
		t.Errorf("Retries = %d, want 1", got)
	}
}

// TestPartialSuccessOverGRPC: the response bytes reach the exporter.
func TestPartialSuccessOverGRPC(t *testing.T) {
	t.Parallel()
	rc := &receiver{response: &collectorpb.ExportTraceServiceResponse{
		PartialSuccess: &collectorpb.ExportTracePartialSuccess{RejectedSpans: 1, ErrorMessage: "too old"},
	}}
	var reported []string
	exp, err := otlp.New(otlp.WithGRPC(serve(t, rc)), otlp.WithErrorHandler(func(err error) { reported = append(reported, err.Error()) }))
	if err != nil {
		t.Fatal(err)
	}
	defer exp.Shutdown(context.Background())
	if err := exp.ExportSpans(context.Background(), spans()); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"otlp: partial success: 1 of 1 spans rejected: too old"}, reported); diff != "" {
		t.Errorf("reported (-want +got):\n%s", diff)
	}
}
