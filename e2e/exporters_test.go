package e2e

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/otlp"
	_ "github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc"
	"github.com/tracegen/tracegen/runtime/exporter/zipkin"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// handMadeTrace is a three-span trace over two services built directly as
// SpanData, so the exporters' mapping is checked against Jaeger without a
// tracer in the way.
func handMadeTrace() []*tracer.SpanData {
	var tid tracer.TraceID
	rand.Read(tid[:])
	sid := func(n byte) tracer.SpanID { var s tracer.SpanID; rand.Read(s[:7]); s[7] = n; return s }
	sc := func(s tracer.SpanID) tracer.SpanContext {
		return tracer.SpanContext{TraceID: tid, SpanID: s, Flags: tracer.FlagSampled}
	}
	front := &tracer.Resource{ServiceName: "hand-frontend", Attributes: []log.Field{log.String("deployment.environment", "e2e")}}
	back := &tracer.Resource{ServiceName: "hand-backend"}
	now := time.Now().Truncate(time.Microsecond)
	root, client, server := sid(1), sid(2), sid(3)
	return []*tracer.SpanData{
		{Name: "checkout", Context: sc(root), Start: now, End: now.Add(10 * time.Millisecond), Resource: front,
			Tags: []log.Field{log.Int("items", 3)}},
		{Name: "GET /charge", Context: sc(client), Parent: sc(root), Kind: "client", Start: now.Add(time.Millisecond), End: now.Add(9 * time.Millisecond), Resource: front,
			Tags:       []log.Field{log.String("http.method", "GET"), log.String("peer.service", "hand-backend")},
			References: []tracer.Reference{{Type: runtime.ChildOfRef, Context: sc(root)}}},
		{Name: "charge", Context: sc(server), Parent: sc(client), Kind: "server", Start: now.Add(2 * time.Millisecond), End: now.Add(8 * time.Millisecond), Resource: back,
			Tags:  []log.Field{log.Int("http.status_code", 500), log.Bool("error", true)},
			Logs:  []runtime.LogRecord{{Timestamp: now.Add(3 * time.Millisecond), Fields: []log.Field{log.String("event", "error"), log.String("message", "card declined")}}},
			Error: true, References: []tracer.Reference{{Type: runtime.ChildOfRef, Context: sc(client)}}},
	}
}

// treeLine is a span as the tests compare it: service, name, parent name.
type treeLine struct {
	Service, Name, Parent, Kind string
	Error                       bool
}

func treeOf(tr queryTrace) []treeLine {
	names := map[string]string{}
	for _, s := range tr.Spans {
		names[s.SpanID] = s.OperationName
	}
	var out []treeLine
	for _, s := range tr.Spans {
		l := treeLine{Service: tr.Processes[s.ProcessID].ServiceName, Name: s.OperationName}
		for _, r := range s.References {
			if r.RefType == "CHILD_OF" {
				l.Parent = names[r.SpanID]
				if l.Parent == "" {
					l.Parent = "missing:" + r.SpanID
				}
			}
		}
		if k, ok := s.tag("span.kind").(string); ok && k != "internal" {
			l.Kind = k
		}
		for _, kv := range s.Tags {
			// Zipkin's error tag holds the message; Jaeger adds error=true.
			l.Error = l.Error || kv.Key == "error" && kv.Value == true
		}
		out = append(out, l)
	}
	return out
}

var sortLines = cmpopts.SortSlices(func(a, b treeLine) bool {
	return a.Service+" "+a.Name+" "+a.Parent < b.Service+" "+b.Name+" "+b.Parent
})

func TestExportersToJaeger(t *testing.T) {
	j := startJaeger(t)
	newOTLPHTTP := func() (tracer.Exporter, error) { return otlp.New(otlp.WithEndpoint(j.OTLPHTTP), otlp.WithGzip()) }
	newOTLPGRPC := func() (tracer.Exporter, error) { return otlp.New(otlp.WithGRPC(j.OTLPGRPC)) }
	newZipkin := func() (tracer.Exporter, error) { return zipkin.New(zipkin.WithEndpoint(j.Zipkin)), nil }
	for _, tc := range []struct {
		name string
		exp  func() (tracer.Exporter, error)
	}{
		{"otlp-http", newOTLPHTTP},
		{"otlp-grpc", newOTLPGRPC},
		{"zipkin", newZipkin},
	} {
		t.Run(tc.name, func(t *testing.T) {
			exp, err := tc.exp()
			if err != nil {
				t.Fatal(err)
			}
			spans := handMadeTrace()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := exp.ExportSpans(ctx, spans); err != nil {
				t.Fatal(err)
			}
			if err := exp.Shutdown(ctx); err != nil {
				t.Fatal(err)
			}
			tr := j.waitForTrace(t, spans[0].Context.TraceID.String(), 3)
			want := []treeLine{
				{Service: "hand-frontend", Name: "checkout"},
				{Service: "hand-frontend", Name: "GET /charge", Parent: "checkout", Kind: "client"},
				{Service: "hand-backend", Name: "charge", Parent: "GET /charge", Kind: "server", Error: true},
			}
			if diff := cmp.Diff(want, treeOf(tr), sortLines); diff != "" {
				t.Errorf("trace tree (-want +got):\n%s", diff)
			}
			for _, s := range tr.Spans {
				switch s.OperationName {
				case "checkout":
					if got := s.tag("items"); got != float64(3) && got != "3" {
						t.Errorf("checkout items tag = %#v, want 3", got)
					}
					if s.Duration != 10000 {
						t.Errorf("checkout duration %dµs, want 10000", s.Duration)
					}
					if s.StartTime != spans[0].Start.UnixMicro() {
						t.Errorf("checkout start %d, want %d", s.StartTime, spans[0].Start.UnixMicro())
					}
				case "charge":
					if len(s.Logs) != 1 {
						t.Errorf("charge has %d logs, want 1", len(s.Logs))
					}
				}
			}
		})
	}
}
