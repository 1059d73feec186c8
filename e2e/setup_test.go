package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/setup"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// TestSetupFromEnvToJaeger configures tracing only through OTEL_*
// variables, as a deployed program would, and finds the spans in Jaeger.
func TestSetupFromEnvToJaeger(t *testing.T) {
	j := startJaeger(t)
	for _, tc := range []struct {
		name string
		env  map[string]string
	}{
		{"otlp http generic endpoint", map[string]string{
			"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://" + hostOf(j.OTLPHTTP),
			"OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
		}},
		{"otlp grpc", map[string]string{
			"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://" + j.OTLPGRPC,
		}},
		{"zipkin", map[string]string{"OTEL_TRACES_EXPORTER": "zipkin", "OTEL_EXPORTER_ZIPKIN_ENDPOINT": j.Zipkin}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			service := "env-" + suffix()
			t.Setenv("OTEL_SERVICE_NAME", service)
			t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=e2e")
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			t.Cleanup(tracegen.ResetGlobalTracer)
			shutdown, err := setup.FromEnv(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			var traceID string
			func() (err error) {
				defer tracegen.Start(&ctx, "env.outer").End(&err)
				sc, _ := tracer.SpanContextOf(tracegen.SpanFromContext(ctx).Context())
				traceID = sc.TraceID.String()
				inner := ctx
				func() (err error) {
					defer tracegen.Start(&inner, "env.inner").End(&err)
					return nil
				}()
				return nil
			}()
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := shutdown(sctx); err != nil {
				t.Fatal(err)
			}
			tr := j.waitForTrace(t, traceID, 2)
			want := []treeLine{
				{Service: service, Name: "env.outer"},
				{Service: service, Name: "env.inner", Parent: "env.outer"},
			}
			if diff := cmp.Diff(want, treeOf(tr), sortLines); diff != "" {
				t.Errorf("trace tree (-want +got):\n%s", diff)
			}
			var envTag any
			for _, p := range tr.Processes {
				for _, kv := range p.Tags {
					if kv.Key == "deployment.environment" {
						envTag = kv.Value
					}
				}
			}
			if envTag != "e2e" {
				t.Errorf("process tag deployment.environment = %v, want e2e", envTag)
			}
		})
	}
}

// hostOf returns host:port of an http URL.
func hostOf(url string) string {
	rest := url[len("http://"):]
	for i := range len(rest) {
		if rest[i] == '/' {
			return rest[:i]
		}
	}
	return rest
}
