package mocktracer

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/log"
)

func mockSpan(t *testing.T, s tracegen.Span) *Span {
	t.Helper()
	m, ok := s.(*Span)
	if !ok {
		t.Fatalf("span is %T, want *mocktracer.Span", s)
	}
	return m
}

func operationNames(spans []*Span) []string {
	names := make([]string, len(spans))
	for i, s := range spans {
		names[i] = s.OperationName()
	}
	return names
}

func TestFinishedSpansInFinishOrder(t *testing.T) {
	t.Parallel()
	tr := New()
	a := tr.StartSpan("a")
	b := tr.StartSpan("b")
	c := tr.StartSpan("c")
	if got := tr.FinishedSpans(); len(got) != 0 {
		t.Fatalf("FinishedSpans before Finish = %v, want none", got)
	}
	c.Finish()
	a.Finish()
	b.Finish()
	if diff := deep.Diff([]string{"c", "a", "b"}, operationNames(tr.FinishedSpans())); diff != "" {
		t.Errorf("finish order (-want +got):\n%s", diff)
	}
}

func TestFinishedSpansIsACopy(t *testing.T) {
	t.Parallel()
	tr := New()
	tr.StartSpan("a").Finish()
	got := tr.FinishedSpans()
	got[0] = nil
	tr.StartSpan("b").Finish()
	if diff := deep.Diff([]string{"a", "b"}, operationNames(tr.FinishedSpans())); diff != "" {
		t.Errorf("FinishedSpans after changing an earlier result (-want +got):\n%s", diff)
	}
}

func TestReset(t *testing.T) {
	t.Parallel()
	tr := New()
	before := mockSpan(t, tr.StartSpan("before"))
	before.Finish()
	tr.Reset()
	if got := tr.FinishedSpans(); len(got) != 0 {
		t.Fatalf("FinishedSpans after Reset = %v, want none", got)
	}
	after := mockSpan(t, tr.StartSpan("after"))
	after.Finish()
	if diff := deep.Diff([]string{"after"}, operationNames(tr.FinishedSpans())); diff != "" {
		t.Errorf("after Reset (-want +got):\n%s", diff)
	}
	if after.SpanID() == before.SpanID() {
		t.Errorf("span id %d reused after Reset", after.SpanID())
	}
}

func TestSpanRecordsTimesAndName(t *testing.T) {
	t.Parallel()
	tr := New()
	start := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	finish := start.Add(time.Second)
	s := mockSpan(t, tr.StartSpan("first", tracegen.StartTime(start)))
	s.SetOperationName("renamed")
	if s.Finished() || !s.FinishTime().IsZero() {
		t.Fatalf("unfinished span: Finished=%v FinishTime=%v", s.Finished(), s.FinishTime())
	}
	s.FinishWithOptions(tracegen.FinishOptions{FinishTime: finish})
	if got := s.OperationName(); got != "renamed" {
		t.Errorf("OperationName = %q, want renamed", got)
	}
	if !s.StartTime().Equal(start) || !s.FinishTime().Equal(finish) || !s.Finished() {
		t.Errorf("times = %v..%v finished=%v, want %v..%v true", s.StartTime(), s.FinishTime(), s.Finished(), start, finish)
	}

	before := time.Now()
	now := mockSpan(t, tr.StartSpan("now"))
	now.Finish()
	after := time.Now()
	if now.StartTime().Before(before) || now.FinishTime().After(after) || now.FinishTime().Before(now.StartTime()) {
		t.Errorf("default times %v..%v not within %v..%v", now.StartTime(), now.FinishTime(), before, after)
	}
}

func TestTagsKeepTheirTypes(t *testing.T) {
	t.Parallel()
	tr := New()
	type custom struct{ A int }
	s := mockSpan(t, tr.StartSpan("op",
		tracegen.Tags{"start.int": 1, "overridden": "by tag"},
		tracegen.Tag{Key: "overridden", Value: uint16(7)},
	))
	s.SetTag("string", "s").SetTag("int", 9).SetTag("int64", int64(-3)).
		SetTag("uint16", uint16(200)).SetTag("float32", float32(1.5)).
		SetTag("float64", 2.5).SetTag("bool", true).SetTag("struct", custom{A: 1})
	s.SetTagField(log.Uint64("field.uint64", 42))
	s.Finish()
	want := map[string]any{
		"start.int": 1, "overridden": uint16(7), "string": "s", "int": 9,
		"int64": int64(-3), "uint16": uint16(200), "float32": float32(1.5),
		"float64": 2.5, "bool": true, "struct": custom{A: 1}, "field.uint64": uint64(42),
	}
	if diff := deep.Diff(want, s.Tags()); diff != "" {
		t.Errorf("Tags (-want +got):\n%s", diff)
	}
	if got := s.Tag("int"); got != 9 {
		t.Errorf("Tag(int) = %#v, want 9", got)
	}
	if got := s.Tag("missing"); got != nil {
		t.Errorf("Tag(missing) = %#v, want nil", got)
	}
	tags := s.Tags()
	tags["int"] = "changed"
	if got := s.Tag("int"); got != 9 {
		t.Errorf("changing the Tags result changed the span: Tag(int) = %#v", got)
	}
}

func TestStartTagsAreCopied(t *testing.T) {
	t.Parallel()
	tr := New()
	tags := tracegen.Tags{"k": "v"}
	s := mockSpan(t, tr.StartSpan("op", tags))
	tags["k"] = "changed"
	if got := s.Tag("k"); got != "v" {
		t.Errorf("Tag(k) = %#v after the caller changed its map, want v", got)
	}
}

func TestScopeTagsThroughFieldTagger(t *testing.T) {
	tr := New()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	ctx := context.Background()
	func() {
		var err error
		defer tracegen.Start(&ctx, "scoped").
			TagString("s", "x").TagInt("i", -1).TagUint("u", 2).
			TagFloat("f", 0.5).TagBool("b", true).End(&err)
	}()
	spans := tr.FinishedSpans()
	if len(spans) != 1 {
		t.Fatalf("got %d spans, want 1", len(spans))
	}
	want := map[string]any{"s": "x", "i": int64(-1), "u": uint64(2), "f": 0.5, "b": true}
	if diff := deep.Diff(want, spans[0].Tags()); diff != "" {
		t.Errorf("Tags (-want +got):\n%s", diff)
	}
}

func TestLogs(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	type obj struct{ N int }
	ts := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	tests := []struct {
		name string
		log  func(s *Span)
		want []KeyValue
	}{
		{
			name: "typed fields",
			log: func(s *Span) {
				s.LogFields(log.String("event", "e"), log.Int("int", 1), log.Int32("i32", 2),
					log.Int64("i64", 3), log.Uint32("u32", 4), log.Uint64("u64", 5),
					log.Float32("f32", 1.5), log.Float64("f64", 2.5), log.Bool("ok", true),
					log.Error(errBoom), log.Object("obj", obj{N: 1}))
			},
			want: []KeyValue{{"event", "e"}, {"int", 1}, {"i32", int32(2)}, {"i64", int64(3)},
				{"u32", uint32(4)}, {"u64", uint64(5)}, {"f32", float32(1.5)}, {"f64", 2.5},
				{"ok", true}, {"error.object", errBoom}, {"obj", obj{N: 1}}},
		},
		{
			name: "key values",
			log:  func(s *Span) { s.LogKV("event", "frozen", "year", 1999, "err", errBoom, "obj", obj{N: 2}) },
			want: []KeyValue{{"event", "frozen"}, {"year", 1999}, {"err", errBoom}, {"obj", obj{N: 2}}},
		},
		{
			name: "lazy and noop fields",
			log: func(s *Span) {
				s.LogFields(log.Noop(), log.Lazy(func(e log.Encoder) {
					e.EmitString("lazy", "yes")
					e.EmitInt64("n", 7)
					e.EmitLazyLogger(func(e log.Encoder) { e.EmitBool("nested", true) })
					e.EmitLazyLogger(nil)
				}), log.String("after", "x"))
			},
			want: []KeyValue{{"lazy", "yes"}, {"n", int64(7)}, {"nested", true}, {"after", "x"}},
		},
		{
			name: "no fields",
			log:  func(s *Span) { s.LogKV() },
			want: []KeyValue{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := mockSpan(t, New().StartSpan("op"))
			before := time.Now()
			tt.log(s)
			s.FinishWithOptions(tracegen.FinishOptions{LogRecords: []tracegen.LogRecord{
				{Timestamp: ts, Fields: []log.Field{log.String("event", "explicit")}},
			}})
			logs := s.Logs()
			if len(logs) != 2 {
				t.Fatalf("got %d logs, want 2: %v", len(logs), logs)
			}
			if diff := deep.Diff(tt.want, logs[0].Fields, deep.EquateErrors(), deep.EquateEmpty()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if logs[0].Timestamp.Before(before) || logs[0].Timestamp.After(s.FinishTime()) {
				t.Errorf("log time %v not within %v..%v", logs[0].Timestamp, before, s.FinishTime())
			}
			wantExplicit := LogRecord{Timestamp: ts, Fields: []KeyValue{{"event", "explicit"}}}
			if diff := deep.Diff(wantExplicit, logs[1]); diff != "" {
				t.Errorf("FinishWithOptions log record (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLogKVBadArgumentsRecordAnError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []any
		wantKeys []string
		wantErr  string
	}{
		{name: "odd", args: []any{"event", "x", "dangling"}, wantKeys: []string{"error.object"}, wantErr: "non-even keyValues len: 3"},
		{name: "one", args: []any{"only"}, wantKeys: []string{"error.object"}, wantErr: "non-even keyValues len: 1"},
		{name: "non-string key", args: []any{"a", 1, 2, "b"}, wantKeys: []string{"a", "error.object"}, wantErr: "non-string key (pair #1): int"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := mockSpan(t, New().StartSpan("op"))
			s.LogKV(tt.args...)
			logs := s.Logs()
			if len(logs) != 1 {
				t.Fatalf("got %d logs, want 1", len(logs))
			}
			var keys []string
			for _, kv := range logs[0].Fields {
				keys = append(keys, kv.Key)
			}
			if diff := deep.Diff(tt.wantKeys, keys); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
			last := logs[0].Fields[len(logs[0].Fields)-1]
			err, ok := last.Value.(error)
			if !ok || err.Error() != tt.wantErr {
				t.Errorf("error field = %#v, want error %q", last.Value, tt.wantErr)
			}
		})
	}
}

func TestLogsIsACopy(t *testing.T) {
	t.Parallel()
	s := mockSpan(t, New().StartSpan("op"))
	s.LogKV("k", "v")
	logs := s.Logs()
	logs[0].Fields[0].Value = "changed"
	if got := s.Logs()[0].Fields[0].Value; got != "v" {
		t.Errorf("log value = %#v after changing a Logs result, want v", got)
	}
}

func TestFinishIsIdempotentAndLaterCallsAreIgnored(t *testing.T) {
	t.Parallel()
	tr := New()
	first := time.Date(2024, 1, 1, 0, 0, 1, 0, time.UTC)
	s := mockSpan(t, tr.StartSpan("op", tracegen.StartTime(first.Add(-time.Second))))
	s.SetBaggageItem("bag", "1")
	s.FinishWithOptions(tracegen.FinishOptions{FinishTime: first})
	ctx := s.SpanContext()

	s.Finish()
	s.FinishWithOptions(tracegen.FinishOptions{
		FinishTime: first.Add(time.Hour),
		LogRecords: []tracegen.LogRecord{{Timestamp: first, Fields: []log.Field{log.String("late", "x")}}},
	})
	if got := s.SetOperationName("late"); got != s {
		t.Errorf("SetOperationName after Finish returned %v, want the span", got)
	}
	s.SetTag("late", 1)
	s.SetTagField(log.Int("late.field", 1))
	s.LogKV("late", 1)
	s.LogFields(log.Int("late", 1))
	s.SetBaggageItem("bag", "2").SetBaggageItem("late", "x")

	if got := len(tr.FinishedSpans()); got != 1 {
		t.Errorf("span recorded %d times, want 1", got)
	}
	if got := s.OperationName(); got != "op" {
		t.Errorf("OperationName = %q, want op", got)
	}
	if !s.FinishTime().Equal(first) {
		t.Errorf("FinishTime = %v, want the first %v", s.FinishTime(), first)
	}
	if len(s.Tags()) != 0 || len(s.Logs()) != 0 {
		t.Errorf("after Finish: tags %v logs %v, want none", s.Tags(), s.Logs())
	}
	if got := s.BaggageItem("bag"); got != "1" {
		t.Errorf("BaggageItem(bag) = %q, want 1", got)
	}
	if diff := deep.Diff(tracegen.SpanContext(ctx), s.Context()); diff != "" {
		t.Errorf("Context after Finish (-want +got):\n%s", diff)
	}
}

func TestReferencesAndParent(t *testing.T) {
	t.Parallel()
	tr := New()
	parent := mockSpan(t, tr.StartSpan("parent"))
	other := mockSpan(t, tr.StartSpan("other"))
	pc, oc := parent.SpanContext(), other.SpanContext()
	foreign := tracegen.NoopTracer{}.StartSpan("x").Context()

	tests := []struct {
		name      string
		opts      []tracegen.StartSpanOption
		setParent tracegen.SpanContext
		wantRefs  []tracegen.SpanReference
		wantTrace uint64
		wantPar   uint64
	}{
		{name: "root", wantTrace: 0},
		{name: "nil references ignored", opts: []tracegen.StartSpanOption{
			tracegen.ChildOf(nil), tracegen.FollowsFrom(nil), tracegen.ChildOf(nil), tracegen.FollowsFrom(nil),
		}},
		{
			name:      "child of",
			opts:      []tracegen.StartSpanOption{tracegen.ChildOf(pc)},
			wantRefs:  []tracegen.SpanReference{tracegen.ChildOf(pc)},
			wantTrace: pc.TraceID, wantPar: pc.SpanID,
		},
		{
			name:      "child of span",
			opts:      []tracegen.StartSpanOption{tracegen.ChildOf(parent.Context())},
			wantRefs:  []tracegen.SpanReference{tracegen.ChildOf(pc)},
			wantTrace: pc.TraceID, wantPar: pc.SpanID,
		},
		{
			name:      "follows from",
			opts:      []tracegen.StartSpanOption{tracegen.FollowsFrom(parent.Context())},
			wantRefs:  []tracegen.SpanReference{tracegen.FollowsFrom(pc)},
			wantTrace: pc.TraceID, wantPar: pc.SpanID,
		},
		{
			name:      "child of wins over an earlier follows from",
			opts:      []tracegen.StartSpanOption{tracegen.FollowsFrom(oc), tracegen.ChildOf(pc)},
			wantRefs:  []tracegen.SpanReference{tracegen.FollowsFrom(oc), tracegen.ChildOf(pc)},
			wantTrace: pc.TraceID, wantPar: pc.SpanID,
		},
		{
			name:      "pointer context",
			opts:      []tracegen.StartSpanOption{tracegen.ChildOf(&pc)},
			wantRefs:  []tracegen.SpanReference{tracegen.ChildOf(&pc)},
			wantTrace: pc.TraceID, wantPar: pc.SpanID,
		},
		{
			name:     "foreign context recorded, no parent",
			opts:     []tracegen.StartSpanOption{tracegen.ChildOf(foreign)},
			wantRefs: []tracegen.SpanReference{tracegen.ChildOf(foreign)},
		},
		{
			name:      "options parent",
			setParent: pc,
			wantRefs:  []tracegen.SpanReference{tracegen.ChildOf(pc)},
			wantTrace: pc.TraceID, wantPar: pc.SpanID,
		},
		{
			name:      "references beat options parent",
			opts:      []tracegen.StartSpanOption{tracegen.ChildOf(oc)},
			setParent: pc,
			wantRefs:  []tracegen.SpanReference{tracegen.ChildOf(oc)},
			wantTrace: oc.TraceID, wantPar: oc.SpanID,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var o tracegen.StartSpanOptions
			o.Apply(tt.opts...)
			if tt.setParent != nil {
				o.Parent = tt.setParent
			}
			s := mockSpan(t, tr.StartSpanWithOptions("child", o))
			if diff := deep.Diff(tt.wantRefs, s.References()); diff != "" {
				t.Errorf("References (-want +got):\n%s", diff)
			}
			wantTrace := tt.wantTrace
			if wantTrace == 0 {
				wantTrace = s.SpanID() // a root starts its own trace
			}
			if s.TraceID() != wantTrace || s.ParentID() != tt.wantPar {
				t.Errorf("trace %d parent %d, want trace %d parent %d", s.TraceID(), s.ParentID(), wantTrace, tt.wantPar)
			}
			if s.SpanID() == pc.SpanID || s.SpanID() == oc.SpanID {
				t.Errorf("span id %d reuses a parent's id", s.SpanID())
			}
		})
	}
}

func TestBaggage(t *testing.T) {
	t.Parallel()
	tr := New()
	parent := tr.StartSpan("parent")
	parent.SetBaggageItem("shared", "p").SetBaggageItem("parent.only", "p")
	child := tr.StartSpan("child", tracegen.ChildOf(parent.Context()))
	parent.SetBaggageItem("after", "p")
	child.SetBaggageItem("shared", "c").SetBaggageItem("child.only", "c")

	baggage := func(s tracegen.Span) map[string]string {
		m := map[string]string{}
		s.Context().ForeachBaggageItem(func(k, v string) bool { m[k] = v; return true })
		return m
	}
	if diff := deep.Diff(map[string]string{"shared": "p", "parent.only": "p", "after": "p"}, baggage(parent)); diff != "" {
		t.Errorf("parent baggage (-want +got):\n%s", diff)
	}
	if diff := deep.Diff(map[string]string{"shared": "c", "parent.only": "p", "child.only": "c"}, baggage(child)); diff != "" {
		t.Errorf("child baggage (-want +got):\n%s", diff)
	}
	if got := child.BaggageItem("parent.only"); got != "p" {
		t.Errorf("child BaggageItem(parent.only) = %q, want p", got)
	}
	if got := parent.BaggageItem("child.only"); got != "" {
		t.Errorf("parent BaggageItem(child.only) = %q, want empty", got)
	}

	other := tr.StartSpan("other")
	other.SetBaggageItem("shared", "o").SetBaggageItem("other.only", "o")
	merged := tr.StartSpan("merged", tracegen.ChildOf(parent.Context()), tracegen.FollowsFrom(other.Context()))
	want := map[string]string{"shared": "o", "parent.only": "p", "after": "p", "other.only": "o"}
	if diff := deep.Diff(want, baggage(merged)); diff != "" {
		t.Errorf("baggage of two references, later winning (-want +got):\n%s", diff)
	}

	calls := 0
	merged.Context().ForeachBaggageItem(func(k, v string) bool { calls++; return false })
	if calls != 1 {
		t.Errorf("ForeachBaggageItem called the handler %d times after it returned false, want 1", calls)
	}
}

func TestContextHandedOutKeepsItsBaggage(t *testing.T) {
	t.Parallel()
	s := New().StartSpan("op")
	s.SetBaggageItem("k", "1")
	before := s.Context()
	s.SetBaggageItem("k", "2")
	if got := before.(SpanContext).Baggage["k"]; got != "1" {
		t.Errorf("earlier context sees baggage %q, want 1", got)
	}
}

func TestSpanString(t *testing.T) {
	t.Parallel()
	tr := New()
	p := tr.StartSpan("p")
	c := mockSpan(t, tr.StartSpan("c", tracegen.ChildOf(p.Context())))
	if got, want := c.String(), `span "c" (trace 1, span 2, parent 1)`; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	if c.Tracer() != tr {
		t.Errorf("Tracer = %v, want the tracer that started it", c.Tracer())
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	tr := New()
	root := tr.StartSpan("root")
	const workers, perWorker = 8, 50
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				s := tr.StartSpan(fmt.Sprintf("w%d.%d", w, i), tracegen.ChildOf(root.Context()))
				s.SetTag("i", i)
				s.LogKV("i", i)
				s.SetBaggageItem("w", "x")
				root.SetTag(fmt.Sprint("w", w), i)
				root.LogKV("w", w)
				_ = root.Context()
				go s.Finish()
				s.Finish()
				_ = tr.FinishedSpans()
			}
		}()
	}
	wg.Wait()
	root.Finish()
	spans := tr.FinishedSpans()
	if len(spans) != workers*perWorker+1 {
		t.Fatalf("got %d finished spans, want %d", len(spans), workers*perWorker+1)
	}
	ids := map[uint64]bool{}
	for _, s := range spans {
		if ids[s.SpanID()] {
			t.Errorf("span id %d used twice", s.SpanID())
		}
		ids[s.SpanID()] = true
	}
}
