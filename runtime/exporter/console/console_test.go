package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/console"
	"github.com/tracegen/tracegen/runtime/internal/deep"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func ctxOf(trace, span byte) tracer.SpanContext {
	return tracer.SpanContext{TraceID: tracer.TraceID{15: trace}, SpanID: tracer.SpanID{7: span}, Flags: tracer.FlagSampled}
}

// sampleTrace is a server span with a client child that failed, a
// grandchild with a log, and a span whose parent never arrives.
func sampleTrace() []*tracer.SpanData {
	res := &tracer.Resource{ServiceName: "api", Attributes: []log.Field{log.String("env", "test")}}
	root := &tracer.SpanData{
		Name: "GET /users", Context: ctxOf(1, 1), Kind: "server", Start: t0, End: t0.Add(12300 * time.Microsecond),
		Tags:     []log.Field{log.String("http.method", "GET"), log.Int("http.status_code", 200)},
		Resource: res,
	}
	child := &tracer.SpanData{
		Name: "db.Query", Context: ctxOf(1, 2), Parent: ctxOf(1, 1), Start: t0.Add(time.Millisecond), End: t0.Add(2100 * time.Microsecond),
		Tags:  []log.Field{log.String("db.statement", "select 1"), log.Bool("error", true), log.Float64("ratio", 0.5)},
		Logs:  []runtime.LogRecord{{Timestamp: t0.Add(2 * time.Millisecond), Fields: []log.Field{log.String("event", "error"), log.Error(errors.New("boom"))}}},
		Error: true, Resource: res,
		References: []tracer.Reference{{Type: runtime.ChildOfRef, Context: ctxOf(1, 1)}},
	}
	grandchild := &tracer.SpanData{
		Name: "cache.Get", Context: ctxOf(1, 3), Parent: ctxOf(1, 2), Start: t0.Add(1500 * time.Microsecond), End: t0.Add(1600 * time.Microsecond),
		Logs:     []runtime.LogRecord{{Timestamp: t0.Add(1550 * time.Microsecond), Fields: []log.Field{log.String("event", "miss")}}},
		Resource: res,
	}
	sibling := &tracer.SpanData{
		Name: "render", Context: ctxOf(1, 4), Parent: ctxOf(1, 1), Start: t0.Add(3 * time.Millisecond), End: t0.Add(4 * time.Millisecond),
		Resource: &tracer.Resource{ServiceName: "renderer"},
	}
	orphan := &tracer.SpanData{
		Name: "late", Context: ctxOf(1, 9), Parent: ctxOf(1, 8), Start: t0.Add(5 * time.Millisecond), End: t0.Add(6 * time.Millisecond),
		Resource: res,
	}
	// Children finish before their parents, as in a real program.
	return []*tracer.SpanData{grandchild, child, sibling, orphan, root}
}

func TestJSONLines(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	exp := console.NewJSON(&buf, console.WithoutTimes())
	if err := exp.ExportSpans(context.Background(), sampleTrace()[:2]); err != nil {
		t.Fatal(err)
	}
	want := `{"traceId":"00000000000000000000000000000001","spanId":"0000000000000003","parentSpanId":"0000000000000002","name":"cache.Get","service":"api","resource":{"env":"test"},"logs":[{"fields":{"event":"miss"}}]}
{"traceId":"00000000000000000000000000000001","spanId":"0000000000000002","parentSpanId":"0000000000000001","name":"db.Query","service":"api","resource":{"env":"test"},"tags":{"db.statement":"select 1","error":true,"ratio":0.5},"logs":[{"fields":{"event":"error","error.object":"boom"}}],"error":true,"errorMessage":"boom"}
`
	if diff := deep.Diff(want, buf.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

func TestJSONLinesTimesAndTypes(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	exp := console.NewJSON(&buf)
	s := sampleTrace()[4]
	s.Tags = append(s.Tags, log.Uint64("big", 1<<63), log.Float32("f", 1.5), log.Object("obj", []int{1, 2}), log.Noop())
	s.References = append(s.References, tracer.Reference{Type: runtime.FollowsFromRef, Context: ctxOf(2, 5)})
	if err := exp.ExportSpans(context.Background(), []*tracer.SpanData{s}); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	want := map[string]any{
		"traceId": "00000000000000000000000000000001", "spanId": "0000000000000001", "name": "GET /users", "kind": "server",
		"start": "2026-11-22T10:00:00Z", "end": "2026-11-22T10:00:00.0123Z", "durationNs": float64(12300000),
		"service": "api", "resource": map[string]any{"env": "test"},
		"tags":       map[string]any{"http.method": "GET", "http.status_code": float64(200), "big": float64(1 << 63), "f": 1.5, "obj": "[1 2]"},
		"references": []any{map[string]any{"type": "follows_from", "traceId": "00000000000000000000000000000002", "spanId": "0000000000000005"}},
	}
	if diff := deep.Diff(want, got); diff != "" {
		t.Errorf("decoded line (-want +got):\n%s", diff)
	}
}

func TestJSONFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "spans.jsonl")
	exp, err := console.NewJSONFile(path)
	if err != nil {
		t.Fatal(err)
	}
	spans := sampleTrace()
	if err := exp.ExportSpans(context.Background(), spans); err != nil {
		t.Fatal(err)
	}
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := exp.ExportSpans(context.Background(), spans); !errors.Is(err, console.ErrShutdown) {
		t.Errorf("export after shutdown: %v, want ErrShutdown", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != len(spans) {
		t.Fatalf("%d lines, want %d", len(lines), len(spans))
	}
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Errorf("line %d: %v", i, err)
		} else if m["name"] != spans[i].Name {
			t.Errorf("line %d name %v, want %q", i, m["name"], spans[i].Name)
		}
	}
	if _, err := console.NewJSONFile(filepath.Join(t.TempDir(), "missing", "x.jsonl")); err == nil {
		t.Error("NewJSONFile in a missing folder: no error")
	}
}

func TestTree(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	exp := console.NewTree(&buf, console.WithoutTimes())
	spans := sampleTrace()
	// Everything but the root: nothing printed yet.
	if err := exp.ExportSpans(context.Background(), spans[:4]); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Fatalf("printed before the root finished:\n%s", buf.String())
	}
	if err := exp.ExportSpans(context.Background(), spans[4:]); err != nil {
		t.Fatal(err)
	}
	want := `trace 00000000000000000000000000000001
├─ GET /users [server]  service=api http.method=GET http.status_code=200
│  ├─ db.Query ✗ error=boom  db.statement="select 1" ratio=0.5 (1 log)
│  │  └─ cache.Get  (1 log)
│  └─ render  service=renderer
└─ late  service=api
`
	if diff := deep.Diff(want, buf.String()); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}

func TestTreeDurationsAndShutdown(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	exp := console.NewTree(&buf)
	spans := sampleTrace()
	if err := exp.ExportSpans(context.Background(), spans[:2]); err != nil {
		t.Fatal(err)
	}
	if err := exp.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := `trace 00000000000000000000000000000001
└─ db.Query 1.1ms ✗ error=boom  service=api db.statement="select 1" ratio=0.5 (1 log)
   └─ cache.Get 100µs  (1 log)
`
	if diff := deep.Diff(want, buf.String()); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
	if err := exp.ExportSpans(context.Background(), spans); !errors.Is(err, console.ErrShutdown) {
		t.Errorf("export after shutdown: %v, want ErrShutdown", err)
	}
}

func TestTreeRemoteParentIsRoot(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	exp := console.NewTree(&buf, console.WithoutTimes())
	remote := ctxOf(3, 1)
	remote.Remote = true
	s := &tracer.SpanData{Name: "handle", Context: ctxOf(3, 2), Parent: remote, Kind: "server"}
	if err := exp.ExportSpans(context.Background(), []*tracer.SpanData{s}); err != nil {
		t.Fatal(err)
	}
	want := "trace 00000000000000000000000000000003\n└─ handle [server]\n"
	if diff := deep.Diff(want, buf.String()); diff != "" {
		t.Errorf("tree (-want +got):\n%s", diff)
	}
}

func ExampleNewTree() {
	exp := console.NewTree(os.Stdout, console.WithoutTimes())
	root := &tracer.SpanData{Name: "main", Context: ctxOf(1, 1)}
	child := &tracer.SpanData{Name: "work", Context: ctxOf(1, 2), Parent: ctxOf(1, 1),
		Tags: []log.Field{log.Int("items", 3)}}
	exp.ExportSpans(context.Background(), []*tracer.SpanData{child, root})
	// Output:
	// trace 00000000000000000000000000000001
	// └─ main
	//    └─ work  items=3
}
