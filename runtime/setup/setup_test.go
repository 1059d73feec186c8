package setup

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/openzipkin/zipkin-go/model"
	"github.com/tracegen/tracegen/runtime"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// syncBuffer is a bytes.Buffer safe for the exporter goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runOneSpan sets up from the environment, records one span through the
// global tracer, and shuts down.
func runOneSpan(t *testing.T, opts ...Option) {
	t.Helper()
	t.Cleanup(runtime.ResetGlobalTracer)
	shutdown, err := FromEnv(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	span := runtime.GlobalTracer().StartSpan("work")
	span.SetTag("items", 3)
	span.Finish()
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestFromEnvDefaultIsConsoleJSON(t *testing.T) {
	setEnv(t, map[string]string{EnvResourceAttributes: "team=core"})
	var out syncBuffer
	runOneSpan(t, WithConsoleWriter(&out), WithDefaultServiceName("demo"))
	var got struct {
		Name, Service string
		Resource      map[string]any
		Tags          map[string]any
	}
	if err := json.Unmarshal([]byte(out.String()), &got); err != nil {
		t.Fatalf("console output is not one JSON line: %v\n%s", err, out.String())
	}
	if got.Name != "work" || got.Service != "demo" || got.Resource["team"] != "core" || got.Tags["items"] != float64(3) {
		t.Errorf("console line: %+v", got)
	}
}

func TestFromEnvTree(t *testing.T) {
	setEnv(t, map[string]string{EnvTracesExporter: "tree", EnvServiceName: "svc"})
	var out syncBuffer
	runOneSpan(t, WithConsoleWriter(&out))
	if !strings.Contains(out.String(), "└─ work ") || !strings.Contains(out.String(), "service=svc items=3") {
		t.Errorf("tree output:\n%s", out.String())
	}
}

func TestFromEnvConsoleFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spans.jsonl")
	setEnv(t, map[string]string{EnvConsoleFile: path})
	runOneSpan(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"name":"work"`) {
		t.Errorf("file: %s", data)
	}
}

func TestFromEnvOTLPHTTP(t *testing.T) {
	var mu sync.Mutex
	var reqs []*tracepb.TracesData
	var auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" {
			http.NotFound(w, r)
			return
		}
		raw, _ := io.ReadAll(r.Body)
		req := &tracepb.TracesData{}
		if err := proto.Unmarshal(raw, req); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		mu.Lock()
		reqs = append(reqs, req)
		auth = r.Header.Get("Authorization")
		mu.Unlock()
	}))
	defer srv.Close()
	setEnv(t, map[string]string{
		EnvTracesExporter: "otlp", EnvServiceName: "checkout", EnvResourceAttributes: "region=eu%2D1",
		"OTEL_EXPORTER_OTLP_ENDPOINT": srv.URL, "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer%20x",
	})
	runOneSpan(t)
	mu.Lock()
	defer mu.Unlock()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want 1", len(reqs))
	}
	rs := reqs[0].ResourceSpans[0]
	var attrs []string
	for _, kv := range rs.Resource.Attributes {
		attrs = append(attrs, kv.Key+"="+kv.Value.GetStringValue())
	}
	if diff := cmp.Diff([]string{"service.name=checkout", "region=eu-1"}, attrs); diff != "" {
		t.Errorf("resource (-want +got):\n%s", diff)
	}
	if name := rs.ScopeSpans[0].Spans[0].Name; name != "work" {
		t.Errorf("span name %q", name)
	}
	if auth != "Bearer x" {
		t.Errorf("Authorization %q", auth)
	}
}

// TestFromEnvGRPCNotLinked: OTEL_EXPORTER_OTLP_PROTOCOL=grpc in a program
// that does not import the gRPC transport fails, naming the variable and
// the import. (e2e sends through setup over gRPC with the import.)
func TestFromEnvGRPCNotLinked(t *testing.T) {
	setEnv(t, map[string]string{EnvTracesExporter: "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"})
	t.Cleanup(runtime.ResetGlobalTracer)
	_, err := FromEnv(context.Background())
	const want = `OTEL_EXPORTER_OTLP_PROTOCOL=grpc: otlp: gRPC is not linked into this program: add import _ "github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc"`
	if err == nil || err.Error() != want {
		t.Errorf("FromEnv: %v\nwant %s", err, want)
	}
}

// zipkinServer counts spans decoded with the official Zipkin model.
func zipkinServer(t *testing.T) (*httptest.Server, func() []model.SpanModel) {
	var mu sync.Mutex
	var spans []model.SpanModel
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var batch []model.SpanModel
		if err := json.NewDecoder(r.Body).Decode(&batch); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		mu.Lock()
		spans = append(spans, batch...)
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []model.SpanModel {
		mu.Lock()
		defer mu.Unlock()
		return append([]model.SpanModel(nil), spans...)
	}
}

func TestFromEnvZipkinAndConsoleTogether(t *testing.T) {
	srv, got := zipkinServer(t)
	setEnv(t, map[string]string{EnvTracesExporter: "zipkin,console", EnvZipkinEndpoint: srv.URL + "/api/v2/spans", EnvServiceName: "zsvc"})
	var out syncBuffer
	runOneSpan(t, WithConsoleWriter(&out))
	spans := got()
	if len(spans) != 1 || spans[0].Name != "work" || spans[0].LocalEndpoint.ServiceName != "zsvc" {
		t.Errorf("zipkin spans: %+v", spans)
	}
	if !strings.Contains(out.String(), `"name":"work"`) {
		t.Errorf("console: %s", out.String())
	}
}

func TestFromEnvSamplerAlwaysOff(t *testing.T) {
	srv, got := zipkinServer(t)
	setEnv(t, map[string]string{EnvTracesExporter: "zipkin", EnvZipkinEndpoint: srv.URL, EnvSampler: "always_off"})
	runOneSpan(t)
	if n := len(got()); n != 0 {
		t.Errorf("%d spans exported with always_off", n)
	}
}

func TestFromEnvNoneExportsNothing(t *testing.T) {
	setEnv(t, map[string]string{EnvTracesExporter: "none"})
	var out syncBuffer
	runOneSpan(t, WithConsoleWriter(&out))
	if out.String() != "" {
		t.Errorf("output with exporter none: %s", out.String())
	}
	if !runtime.IsGlobalTracerRegistered() {
		t.Error("no global tracer installed")
	}
}

func TestFromEnvPropagatorsNone(t *testing.T) {
	setEnv(t, map[string]string{EnvTracesExporter: "none", EnvPropagators: "none"})
	t.Cleanup(runtime.ResetGlobalTracer)
	shutdown, err := FromEnv(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer shutdown(context.Background())
	span := runtime.GlobalTracer().StartSpan("x")
	defer span.Finish()
	h := http.Header{}
	if err := runtime.GlobalTracer().Inject(span.Context(), runtime.HTTPHeaders, runtime.HTTPHeadersCarrier(h)); err != nil {
		t.Fatal(err)
	}
	if len(h) != 0 {
		t.Errorf("headers injected with OTEL_PROPAGATORS=none: %v", h)
	}
}

func TestFromEnvDisabled(t *testing.T) {
	setEnv(t, map[string]string{EnvSDKDisabled: "true"})
	runtime.ResetGlobalTracer()
	shutdown, err := FromEnv(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if runtime.IsGlobalTracerRegistered() {
		t.Error("a tracer was installed with OTEL_SDK_DISABLED=true")
	}
	if err := shutdown(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestFromEnvInvalid(t *testing.T) {
	setEnv(t, map[string]string{EnvTracesExporter: "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", EnvSamplerArg: "2", EnvSampler: "traceidratio"})
	runtime.ResetGlobalTracer()
	_, err := FromEnv(context.Background())
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`OTEL_EXPORTER_OTLP_PROTOCOL="http/json"`, `OTEL_TRACES_SAMPLER_ARG="2"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
	if runtime.IsGlobalTracerRegistered() {
		t.Error("a tracer was installed despite the error")
	}
}

func TestFromEnvUnknownPropagator(t *testing.T) {
	setEnv(t, map[string]string{EnvPropagators: "tracecontext,smoke-signals"})
	_, err := FromEnv(context.Background())
	if err == nil || !strings.Contains(err.Error(), `OTEL_PROPAGATORS="tracecontext,smoke-signals"`) {
		t.Errorf("error %v, want one naming OTEL_PROPAGATORS", err)
	}
}

func TestFromEnvBatchScheduleDelay(t *testing.T) {
	srv, got := zipkinServer(t)
	// The default delay is 5s; with 20ms the span arrives without a flush.
	setEnv(t, map[string]string{EnvTracesExporter: "zipkin", EnvZipkinEndpoint: srv.URL, "OTEL_BSP_SCHEDULE_DELAY": "20"})
	t.Cleanup(runtime.ResetGlobalTracer)
	shutdown, err := FromEnv(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer shutdown(context.Background())
	runtime.GlobalTracer().StartSpan("early").Finish()
	deadline := time.Now().Add(2 * time.Second)
	for len(got()) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("span not exported within 2s with OTEL_BSP_SCHEDULE_DELAY=20")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
