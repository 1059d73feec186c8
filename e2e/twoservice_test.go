package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/otlp"
	"github.com/tracegen/tracegen/runtime/exporter/zipkin"
	"github.com/tracegen/tracegen/runtime/tracehttp"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// shop is the two-service example: a frontend whose /checkout handler calls
// the backend's /charge over HTTP with the trace context in the headers; the
// backend's charge.card step fails.
type shop struct {
	frontend, backend *httptest.Server
	client            *http.Client // the test's own traced client (frontend tracer)
}

func newShop(t *testing.T, front, back *tracer.Tracer) *shop {
	t.Helper()
	name := func(r *http.Request) string { return r.Method + " " + r.URL.Path }
	callName := func(r *http.Request) string { return "call " + r.Method + " " + r.URL.Path }

	backend := httptest.NewServer(tracehttp.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		span, _ := tracegen.StartSpanFromContextWithTracer(r.Context(), back, "charge.card")
		span.SetTag("card.brand", "visa")
		span.SetTag("error", true)
		span.LogKV("event", "error", "message", "card declined")
		span.Finish()
		http.Error(w, "card declined", http.StatusInternalServerError)
	}), tracehttp.WithTracer(back), tracehttp.WithOperationName(name)))
	t.Cleanup(backend.Close)

	frontClient := &http.Client{Transport: tracehttp.Transport(nil, tracehttp.WithTracer(front), tracehttp.WithOperationName(callName))}
	frontend := httptest.NewServer(tracehttp.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, backend.URL+"/charge", nil)
		resp, err := frontClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		w.WriteHeader(http.StatusPaymentRequired)
	}), tracehttp.WithTracer(front), tracehttp.WithOperationName(name)))
	t.Cleanup(frontend.Close)
	return &shop{frontend: frontend, backend: backend, client: frontClient}
}

// checkout runs one user request under a root span and returns its trace id.
func (s *shop) checkout(t *testing.T, front *tracer.Tracer) string {
	t.Helper()
	root := front.StartSpan("checkout-flow")
	ctx := tracegen.ContextWithSpan(context.Background(), root)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.frontend.URL+"/checkout", nil)
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusPaymentRequired {
		t.Fatalf("checkout status %d, want 402", resp.StatusCode)
	}
	root.Finish()
	sc, ok := tracer.SpanContextOf(root.Context())
	if !ok || !sc.IsSampled() {
		t.Fatalf("root span context %#v is not a sampled tracer context", root.Context())
	}
	return sc.TraceID.String()
}

func suffix() string {
	b := make([]byte, 3)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func TestTwoServicesInJaeger(t *testing.T) {
	j := startJaeger(t)
	for _, tc := range []struct {
		name string
		exp  func(t *testing.T) tracer.Exporter
	}{
		{"otlp-http", func(t *testing.T) tracer.Exporter {
			e, err := otlp.New(otlp.WithEndpoint(j.OTLPHTTP))
			if err != nil {
				t.Fatal(err)
			}
			return e
		}},
		{"otlp-grpc", func(t *testing.T) tracer.Exporter {
			e, err := otlp.New(otlp.WithGRPC(j.OTLPGRPC), otlp.WithGzip())
			if err != nil {
				t.Fatal(err)
			}
			return e
		}},
		{"zipkin", func(t *testing.T) tracer.Exporter { return zipkin.New(zipkin.WithEndpoint(j.Zipkin)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			frontName, backName := "frontend-"+suffix(), "backend-"+suffix()
			newTracer := func(service string) *tracer.Tracer {
				bp := tracer.NewBatchProcessor(tc.exp(t), tracer.WithBatchTimeout(50*time.Millisecond))
				return tracer.New(tracer.WithServiceName(service), tracer.WithProcessor(bp))
			}
			front, back := newTracer(frontName), newTracer(backName)
			s := newShop(t, front, back)
			traceID := s.checkout(t, front)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := front.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
			if err := back.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}

			tr := j.waitForTrace(t, traceID, 6)
			want := []treeLine{
				{Service: frontName, Name: "checkout-flow"},
				{Service: frontName, Name: "call GET /checkout", Parent: "checkout-flow", Kind: "client"},
				{Service: frontName, Name: "GET /checkout", Parent: "call GET /checkout", Kind: "server"},
				{Service: frontName, Name: "call GET /charge", Parent: "GET /checkout", Kind: "client", Error: true},
				{Service: backName, Name: "GET /charge", Parent: "call GET /charge", Kind: "server", Error: true},
				{Service: backName, Name: "charge.card", Parent: "GET /charge", Error: true},
			}
			if diff := cmp.Diff(want, treeOf(tr), sortLines); diff != "" {
				t.Errorf("trace tree (-want +got):\n%s", diff)
			}
			for _, sp := range tr.Spans {
				if sp.TraceID != traceID {
					t.Errorf("span %s in trace %s, want %s", sp.OperationName, sp.TraceID, traceID)
				}
				if sp.OperationName == "charge.card" {
					if got := sp.tag("card.brand"); got != "visa" {
						t.Errorf("charge.card card.brand = %v", got)
					}
					if len(sp.Logs) != 1 {
						t.Errorf("charge.card has %d logs, want 1", len(sp.Logs))
					}
				}
				if sp.OperationName == "GET /charge" {
					if got := sp.tag("http.status_code"); got != float64(500) && got != "500" {
						t.Errorf("GET /charge http.status_code = %#v, want 500", got)
					}
				}
			}
		})
	}
}
