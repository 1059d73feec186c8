package harness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/log"
)

// ForeignSpanContext is a span context no tracer but the harness knows.
// Inject must reject it with ErrInvalidSpanContext.
type ForeignSpanContext struct{}

// ForeachBaggageItem has no items.
func (ForeignSpanContext) ForeachBaggageItem(func(k, v string) bool) {}

// NotACarrier is a carrier of no format: Inject and Extract must reject it
// with ErrInvalidCarrier.
type NotACarrier struct{}

// start starts a span and fails the check if the tracer returns nil.
func (s *suite) start(name string, opts ...tracegen.StartSpanOption) tracegen.Span {
	s.Helper()
	span := s.tracer.StartSpan(name, opts...)
	if span == nil {
		s.Fatalf("StartSpan(%q) returned nil", name)
	}
	return span
}

func (s *suite) wantParent(parent, child tracegen.Span, what string) {
	s.Helper()
	if s.cfg.probe != nil && !s.cfg.probe.IsParent(parent, child) {
		if parent == nil {
			s.Errorf("%s: span is not the root of a new trace", what)
		} else {
			s.Errorf("%s: span is not a child of the expected parent", what)
		}
	}
}

func (s *suite) wantSameTrace(a, b tracegen.Span, what string) {
	s.Helper()
	if s.cfg.probe != nil && !s.cfg.probe.SameTrace(a, b) {
		s.Errorf("%s: spans are not in the same trace", what)
	}
}

func (s *suite) wantSameSpanContext(span tracegen.Span, sc tracegen.SpanContext, what string) {
	s.Helper()
	if s.cfg.probe != nil && !s.cfg.probe.SameSpanContext(span, sc) {
		s.Errorf("%s: span context does not identify the span", what)
	}
}

// wantTag asserts a tag's value and type when the probe can read tags.
func (s *suite) wantTag(span tracegen.Span, key string, want any) {
	s.Helper()
	tp, ok := s.cfg.probe.(TagProbe)
	if !ok {
		return
	}
	got, set := tp.Tag(span, key)
	switch {
	case !set:
		s.Errorf("tag %q is not set, want %#v (%T)", key, want, want)
	case reflect.TypeOf(got) != reflect.TypeOf(want) || !reflect.DeepEqual(got, want):
		s.Errorf("tag %q = %#v (%T), want %#v (%T)", key, got, got, want, want)
	}
}

// wantNoTag asserts that a tag is not set when the probe can read tags.
func (s *suite) wantNoTag(span tracegen.Span, key string) {
	s.Helper()
	if tp, ok := s.cfg.probe.(TagProbe); ok {
		if got, set := tp.Tag(span, key); set {
			s.Errorf("tag %q = %#v, want it unset", key, got)
		}
	}
}

// noPanic runs fn and reports a panic as a failure of the named call.
func (s *suite) noPanic(call string, fn func()) {
	s.Helper()
	defer func() {
		if r := recover(); r != nil {
			s.Errorf("%s panicked: %v", call, r)
		}
	}()
	fn()
}

func baggageOf(sc tracegen.SpanContext) map[string]string {
	m := map[string]string{}
	if sc != nil {
		sc.ForeachBaggageItem(func(k, v string) bool { m[k] = v; return true })
	}
	return m
}

func (s *suite) wantNoBaggage(span tracegen.Span, what string) {
	s.Helper()
	if sc := span.Context(); sc == nil {
		s.Errorf("%s: Context() = nil", what)
	} else if b := baggageOf(sc); len(b) != 0 {
		s.Errorf("%s: a new span has baggage %v, want none", what, b)
	}
}

func (s *suite) wantBaggage(span tracegen.Span, want map[string]string, what string) {
	s.Helper()
	if !s.cfg.baggage {
		return
	}
	if got := baggageOf(span.Context()); !reflect.DeepEqual(got, want) {
		s.Errorf("%s: baggage = %v, want %v", what, got, want)
	}
}

func isNoop(t tracegen.Tracer) bool {
	_, ok := t.(tracegen.NoopTracer)
	return ok
}

func checkStartSpan(s *suite) {
	span := s.start("Fry")
	if span.Context() == nil {
		s.Error("Context() = nil")
	}
	if span.Tracer() == nil {
		s.Error("Tracer() = nil")
	}
	s.wantParent(nil, span, "StartSpan without references")
	span.Finish()

	tagged := s.start("Fry", tracegen.Tags{"birthday": "August 14 1974"})
	tagged.LogKV("event", "birthplace", "hospital", "Brooklyn Pre-Med Hospital", "city", "Old New York")
	tagged.Finish()
}

func checkStartSpanWithParent(s *suite) {
	parent := s.start("parent")
	child := s.start("Leela", tracegen.ChildOf(parent.Context()))
	s.wantSameTrace(parent, child, "ChildOf")
	s.wantParent(parent, child, "ChildOf")
	viaSpan := s.start("Leela", tracegen.ChildOf(parent.Context()))
	s.wantParent(parent, viaSpan, "ChildOf(span.Context())")
	grandchild := s.start("Bender", tracegen.ChildOf(child.Context()))
	s.wantSameTrace(parent, grandchild, "grandchild")
	s.wantParent(child, grandchild, "grandchild")
	for _, sp := range []tracegen.Span{grandchild, viaSpan, child, parent} {
		sp.Finish()
	}
}

func checkFollowsFrom(s *suite) {
	parent := s.start("parent")
	follower := s.start("Leela", tracegen.FollowsFrom(parent.Context()), tracegen.Tags{"birthplace": "sewers"})
	s.wantSameTrace(parent, follower, "FollowsFrom")
	s.wantParent(parent, follower, "FollowsFrom")
	viaSpan := s.start("Leela", tracegen.FollowsFrom(parent.Context()))
	s.wantParent(parent, viaSpan, "FollowsFrom(span.Context())")
	parent.Finish()
	late := s.start("after parent finished", tracegen.FollowsFrom(parent.Context()))
	s.wantParent(parent, late, "FollowsFrom a finished span")
	for _, sp := range []tracegen.Span{late, viaSpan, follower} {
		sp.Finish()
	}
}

func checkNilReferences(s *suite) {
	var span tracegen.Span
	s.noPanic("StartSpan with nil references", func() {
		span = s.start("orphan",
			tracegen.ChildOf(nil), tracegen.FollowsFrom(nil),
			tracegen.ChildOf(nil), tracegen.FollowsFrom(nil))
	})
	if span != nil {
		s.wantParent(nil, span, "nil references")
		span.Finish()
	}
}

func checkStartSpanWithOptions(s *suite) {
	starter, ok := s.tracer.(fastpath.SpanStarter)
	if !ok {
		s.Log("the tracer does not implement SpanStarter; nothing to check")
		return
	}
	parent := s.start("parent")
	other := s.start("other")
	viaParent := starter.StartSpanWithOptions("child", tracegen.StartSpanOptions{Parent: parent.Context()})
	if viaParent == nil {
		s.Fatal("StartSpanWithOptions returned nil")
	}
	s.wantParent(parent, viaParent, "StartSpanOptions.Parent")
	refsWin := starter.StartSpanWithOptions("child", tracegen.StartSpanOptions{
		Parent:     parent.Context(),
		References: []tracegen.SpanReference{tracegen.ChildOf(other.Context())},
	})
	s.wantParent(other, refsWin, "References beat StartSpanOptions.Parent")
	root := starter.StartSpanWithOptions("root", tracegen.StartSpanOptions{})
	s.wantParent(nil, root, "empty StartSpanOptions")
	tagged := starter.StartSpanWithOptions("tagged", tracegen.StartSpanOptions{Tags: map[string]any{"k": "v"}})
	s.wantTag(tagged, "k", "v")
	for _, sp := range []tracegen.Span{tagged, root, refsWin, viaParent, other, parent} {
		sp.Finish()
	}
}

func checkExplicitTimes(s *suite) {
	start := time.Now().Add(-time.Minute).Round(0)
	finish := start.Add(time.Second)
	span := s.start("timed", tracegen.StartTime(start))
	span.FinishWithOptions(tracegen.FinishOptions{FinishTime: finish})
	s.wantTimes(span, start, finish, "explicit start and finish")

	before := time.Now()
	zero := s.start("zero start", tracegen.StartTime(time.Time{}))
	zero.FinishWithOptions(tracegen.FinishOptions{})
	after := time.Now()
	if tp, ok := s.cfg.probe.(TimeProbe); ok {
		gotStart, gotFinish := tp.Times(zero)
		if gotStart.Before(before) || gotFinish.After(after) || gotFinish.Before(gotStart) {
			s.Errorf("zero times: span ran %v..%v, want now (within %v..%v)", gotStart, gotFinish, before, after)
		}
	}
}

// wantTimes asserts a span's times when the probe can read them.
func (s *suite) wantTimes(span tracegen.Span, start, finish time.Time, what string) {
	s.Helper()
	if tp, ok := s.cfg.probe.(TimeProbe); ok {
		gotStart, gotFinish := tp.Times(span)
		if !gotStart.Equal(start) || !gotFinish.Equal(finish) {
			s.Errorf("%s: span ran %v..%v, want %v..%v", what, gotStart, gotFinish, start, finish)
		}
	}
}

func checkSetOperationName(s *suite) {
	span := s.start("")
	if got := span.SetOperationName("Farnsworth"); got != span {
		s.Errorf("SetOperationName returned %v, want the span itself", got)
	}
	span.Finish()
}

func checkTagValueTypes(s *suite) {
	type custom struct{ A, B int }
	errTag := errors.New("tag error")
	values := map[string]any{
		"a_string": "aoeuidhtns", "a_bool": true,
		"an_int": 9, "an_int8": int8(-8), "an_int16": int16(-16), "an_int32": int32(-32), "an_int64": int64(-64),
		"a_uint": uint(9), "a_uint8": uint8(8), "a_uint16": uint16(16), "a_uint32": uint32(32), "a_uint64": uint64(64),
		"a_float32": float32(1.5), "a_float64": 2.5,
		"an_error": errTag, "a_struct": custom{A: 1, B: 2}, "a_duration": 3 * time.Second,
	}
	span := s.start("ManyTypes")
	for k, v := range values {
		s.noPanic(fmt.Sprintf("SetTag(%q, %T)", k, v), func() { span.SetTag(k, v) })
	}
	s.noPanic("SetTag with a nil value", func() { span.SetTag("a_nil", nil) })
	for k, v := range values {
		s.wantTag(span, k, v)
	}
	span.Finish()
}

func checkTagsWithChaining(s *suite) {
	span := s.start("Farnsworth")
	got := span.SetTag("birthday", "9 April, 2841").SetTag("loves", "different lengths of wires")
	if got != span {
		s.Errorf("SetTag chain returned %v, want the span itself", got)
	}
	span.SetTag("unicode_val", "non-ascii: \u200b").SetTag("unicode_key_\u200b", "ascii val")
	s.wantTag(span, "birthday", "9 April, 2841")
	s.wantTag(span, "loves", "different lengths of wires")
	s.wantTag(span, "unicode_val", "non-ascii: \u200b")
	s.wantTag(span, "unicode_key_\u200b", "ascii val")
	span.SetTag("loves", 42)
	s.wantTag(span, "loves", 42)
	span.Finish()
}

func checkStartTags(s *suite) {
	span := s.start("tagged",
		tracegen.Tags{"a": "from Tags", "b": 1},
		tracegen.Tag{Key: "b", Value: uint16(2)},
		tracegen.Tag{Key: "c", Value: true},
	)
	s.wantTag(span, "a", "from Tags")
	s.wantTag(span, "b", uint16(2))
	s.wantTag(span, "c", true)
	span.Finish()
}

func checkSpanLogs(s *suite) {
	span := s.start("Fry")
	s.noPanic("LogKV", func() {
		span.LogKV("event", "frozen", "year", 1999, "place", "Cryogenics Labs")
		span.LogKV("event", "defrosted", "year", 2999, "place", "Cryogenics Labs")
	})
	s.noPanic("LogFields", func() {
		span.LogFields(
			log.String("event", "typed"), log.Bool("b", true), log.Int("i", 1),
			log.Int32("i32", 2), log.Int64("i64", 3), log.Uint32("u32", 4), log.Uint64("u64", 5),
			log.Float32("f32", 1.5), log.Float64("f64", 2.5), log.Error(errors.New("boom")),
			log.Object("obj", struct{ N int }{1}), log.Noop(),
			log.Lazy(func(e log.Encoder) { e.EmitString("lazy", "value") }),
		)
	})
	ts := time.Now().Round(0)
	s.noPanic("FinishWithOptions with log records", func() {
		span.FinishWithOptions(tracegen.FinishOptions{LogRecords: []tracegen.LogRecord{
			{Timestamp: ts, Fields: []log.Field{log.String("event", "job-assignment"), log.String("type", "delivery boy")}},
			{Timestamp: ts.Add(time.Millisecond), Fields: []log.Field{log.String("event", "promotion")}},
		}})
	})
	s.noPanic("LogKV after Finish", func() { span.LogKV("event", "after finish") })
	s.noPanic("LogFields after Finish", func() { span.LogFields(log.String("event", "after finish")) })

	empty := s.start("empty logs")
	s.noPanic("LogFields with no fields", func() { empty.LogFields() })
	s.noPanic("LogKV with no arguments", func() { empty.LogKV() })
	empty.Finish()

	lp, ok := s.cfg.probe.(LogProbe)
	if !ok {
		return
	}
	var events []string
	for _, rec := range lp.Logs(span) {
		events = append(events, eventOf(rec))
		switch eventOf(rec) {
		case "job-assignment":
			if !rec.Timestamp.Equal(ts) {
				s.Errorf("log record job-assignment at %v, want its explicit timestamp %v", rec.Timestamp, ts)
			}
		case "promotion":
			if !rec.Timestamp.Equal(ts.Add(time.Millisecond)) {
				s.Errorf("log record promotion at %v, want its explicit timestamp %v", rec.Timestamp, ts.Add(time.Millisecond))
			}
		}
	}
	want := []string{"frozen", "defrosted", "typed", "job-assignment", "promotion"}
	if !reflect.DeepEqual(events, want) {
		s.Errorf("logged events %q, want %q (nothing after Finish)", events, want)
	}
}

// eventOf returns the value of a log record's event field, or "".
func eventOf(rec tracegen.LogRecord) string {
	for _, f := range rec.Fields {
		if f.Key() == "event" {
			return fmt.Sprint(f.Value())
		}
	}
	return ""
}

func checkLogKVBadArguments(s *suite) {
	cases := []struct {
		name string
		args []any
		bad  bool // must be recorded with an error field
	}{
		{"one argument", []any{"dangling"}, true},
		{"three arguments", []any{"event", "x", "dangling"}, true},
		{"a non-string key", []any{1, "value"}, true},
		{"a nil key", []any{nil, "value"}, true},
		{"a non-string later key", []any{"a", 1, 2, "b"}, true},
		{"a nil value", []any{"key", nil}, false},
	}
	lp, _ := s.cfg.probe.(LogProbe)
	for _, c := range cases {
		span := s.start("odd logs")
		s.noPanic("LogKV with "+c.name, func() { span.LogKV(c.args...) })
		span.Finish()
		if lp == nil || !c.bad {
			continue
		}
		logs := lp.Logs(span)
		if len(logs) != 1 || !hasErrorField(logs[0]) {
			s.Errorf("LogKV with %s recorded %v, want one log with an error field", c.name, logs)
		}
	}
}

func hasErrorField(rec tracegen.LogRecord) bool {
	for _, f := range rec.Fields {
		if f.Type() == log.ErrorType {
			return true
		}
	}
	return false
}

func checkFinishIdempotent(s *suite) {
	start := time.Now().Add(-time.Minute).Round(0)
	first := start.Add(time.Second)
	span := s.start("twice", tracegen.StartTime(start))
	before := span.Context()
	s.noPanic("Finish twice", func() {
		span.FinishWithOptions(tracegen.FinishOptions{FinishTime: first})
		span.Finish()
		span.FinishWithOptions(tracegen.FinishOptions{
			FinishTime: first.Add(time.Hour),
			LogRecords: []tracegen.LogRecord{{Timestamp: first, Fields: []log.Field{log.String("event", "second finish")}}},
		})
	})
	after := span.Context()
	if after == nil {
		s.Fatal("Context() = nil after Finish")
	}
	s.wantSameSpanContext(span, before, "context taken before Finish")
	s.wantSameSpanContext(span, after, "context taken after Finish")
	s.wantTimes(span, start, first, "after finishing three times")
	if lp, ok := s.cfg.probe.(LogProbe); ok {
		if logs := lp.Logs(span); len(logs) != 0 {
			s.Errorf("a second FinishWithOptions recorded logs %v", logs)
		}
	}
}

func checkCallsAfterFinish(s *suite) {
	span := s.start("finished")
	span.SetBaggageItem("kept", "yes")
	span.Finish()
	s.noPanic("calls after Finish", func() {
		if span.SetOperationName("late") == nil {
			s.Error("SetOperationName after Finish returned nil")
		}
		if span.SetTag("late", 1) == nil {
			s.Error("SetTag after Finish returned nil")
		}
		span.LogKV("late", 1)
		span.LogFields(log.Int("late", 1))
		if span.SetBaggageItem("late", "x") == nil {
			s.Error("SetBaggageItem after Finish returned nil")
		}
		_ = span.BaggageItem("kept")
		if span.Tracer() == nil {
			s.Error("Tracer() after Finish returned nil")
		}
	})
	if s.cfg.baggage {
		if got := span.BaggageItem("kept"); got != "yes" {
			s.Errorf("BaggageItem set before Finish = %q after Finish, want yes", got)
		}
		if got := span.BaggageItem("late"); got != "" {
			s.Errorf("BaggageItem set after Finish = %q, want it ignored", got)
		}
	}
	s.wantNoTag(span, "late")
	if lp, ok := s.cfg.probe.(LogProbe); ok {
		if logs := lp.Logs(span); len(logs) != 0 {
			s.Errorf("logs after Finish were recorded: %v", logs)
		}
	}
	child := s.start("child of finished", tracegen.ChildOf(span.Context()))
	s.wantParent(span, child, "child of a finished span")
	child.Finish()
}

func checkSpanBaggage(s *suite) {
	span := s.start("Fry")
	s.wantNoBaggage(span, "new span")
	if got := span.SetBaggageItem("Kiff-loves", "Amy"); got != span {
		s.Errorf("SetBaggageItem returned %v, want the span itself", got)
	}
	if s.cfg.baggage {
		if got := span.BaggageItem("Kiff-loves"); got != "Amy" {
			s.Errorf("BaggageItem = %q, want Amy", got)
		}
		if got := span.BaggageItem("missing"); got != "" {
			s.Errorf("BaggageItem(missing) = %q, want empty", got)
		}
		span.SetBaggageItem("Kiff-loves", "Leela")
		if got := span.BaggageItem("Kiff-loves"); got != "Leela" {
			s.Errorf("BaggageItem after replacing = %q, want Leela", got)
		}
	}
	span.Finish()
}

func checkContextBaggage(s *suite) {
	span := s.start("Fry")
	s.wantNoBaggage(span, "new span")
	span.SetBaggageItem("Kiff-loves", "Amy")
	s.wantBaggage(span, map[string]string{"Kiff-loves": "Amy"}, "context")
	span.Finish()
}

func checkMultiBaggage(s *suite) {
	span := s.start("op")
	s.wantNoBaggage(span, "new span")
	span.SetBaggageItem("Bag1", "BaggageVal1").SetBaggageItem("Bag2", "BaggageVal2")
	if s.cfg.baggage {
		if a, b := span.BaggageItem("Bag1"), span.BaggageItem("Bag2"); a != "BaggageVal1" || b != "BaggageVal2" {
			s.Errorf("BaggageItem = %q, %q, want BaggageVal1, BaggageVal2", a, b)
		}
		s.wantBaggage(span, map[string]string{"Bag1": "BaggageVal1", "Bag2": "BaggageVal2"}, "context")
		calls := 0
		span.Context().ForeachBaggageItem(func(k, v string) bool { calls++; return false })
		if calls != 1 {
			s.Errorf("ForeachBaggageItem called the handler %d times after it returned false, want 1", calls)
		}
	}
	span.Finish()
}

func checkBaggageInheritance(s *suite) {
	parent := s.start("parent")
	parent.SetBaggageItem("shared", "parent").SetBaggageItem("parent-only", "p")
	child := s.start("child", tracegen.ChildOf(parent.Context()))
	follower := s.start("follower", tracegen.FollowsFrom(parent.Context()))
	child.SetBaggageItem("shared", "child").SetBaggageItem("child-only", "c")
	parent.SetBaggageItem("late", "p")
	s.wantBaggage(parent, map[string]string{"shared": "parent", "parent-only": "p", "late": "p"}, "parent after the child's changes")
	s.wantBaggage(child, map[string]string{"shared": "child", "parent-only": "p", "child-only": "c"}, "child")
	s.wantBaggage(follower, map[string]string{"shared": "parent", "parent-only": "p"}, "follows-from span")
	for _, sp := range []tracegen.Span{follower, child, parent} {
		sp.Finish()
	}
}

// propagate injects span's context into in and extracts it from out, then
// checks what came back: the same span context, baggage that equals want
// (keys compared without case for HTTPHeaders), and that a span started from
// it is a child of span.
func (s *suite) propagate(span tracegen.Span, format tracegen.BuiltinFormat, in, out any, wantBaggage map[string]string, what string) {
	s.Helper()
	err := s.tracer.Inject(span.Context(), format, in)
	if s.cfg.inject && err != nil {
		s.Errorf("%s: Inject: %v", what, err)
		return
	}
	sc, err := s.tracer.Extract(format, out)
	if err != nil && sc != nil {
		s.Errorf("%s: Extract returned %v with a non-nil span context %#v", what, err, sc)
	}
	if !s.cfg.extract {
		return
	}
	if err != nil || sc == nil {
		s.Errorf("%s: Extract = %v, %v, want a span context", what, sc, err)
		return
	}
	s.wantSameSpanContext(span, sc, what)
	if s.cfg.baggage {
		got := baggageOf(sc)
		if format == tracegen.HTTPHeaders {
			got, wantBaggage = lowerKeys(got), lowerKeys(wantBaggage)
		}
		if !reflect.DeepEqual(got, wantBaggage) {
			s.Errorf("%s: extracted baggage = %v, want %v", what, got, wantBaggage)
		}
	}
	child := s.start("remote child", tracegen.ChildOf(sc))
	s.wantParent(span, child, what+": child of the extracted context")
	child.Finish()
}

func lowerKeys(m map[string]string) map[string]string {
	l := make(map[string]string, len(m))
	for k, v := range m {
		l[strings.ToLower(k)] = v
	}
	return l
}

func checkTextMapPropagation(s *suite) {
	plain := s.start("Bender")
	c := tracegen.TextMapCarrier{}
	s.propagate(plain, tracegen.TextMap, c, c, map[string]string{}, "TextMap of a span without baggage")

	span := s.start("Bender")
	span.SetBaggageItem("Kiff-loves", "Amy").SetBaggageItem("odd value", "a=b; c\td")
	want := map[string]string{"Kiff-loves": "Amy", "odd value": "a=b; c\td"}
	c = tracegen.TextMapCarrier{}
	s.propagate(span, tracegen.TextMap, c, c, want, "TextMapCarrier")
	m := map[string]string{}
	s.propagate(span, tracegen.TextMap, m, m, want, "map[string]string")
	span.Finish()
	plain.Finish()
}

func checkHTTPHeadersPropagation(s *suite) {
	span := s.start("Bender")
	span.SetBaggageItem("Kiff-loves", "Amy Wong")
	want := map[string]string{"Kiff-loves": "Amy Wong"}
	h := http.Header{}
	s.propagate(span, tracegen.HTTPHeaders, h, h, want, "http.Header")
	hc := tracegen.HTTPHeadersCarrier{}
	s.propagate(span, tracegen.HTTPHeaders, hc, hc, want, "HTTPHeadersCarrier")
	m := map[string]string{}
	s.propagate(span, tracegen.HTTPHeaders, m, m, want, "map[string]string")

	// Header keys are case-insensitive: the same headers with their keys
	// in lower and upper case must give the same context.
	if s.cfg.inject && s.cfg.extract {
		for _, fold := range []func(string) string{strings.ToLower, strings.ToUpper} {
			folded := tracegen.TextMapCarrier{}
			for k, v := range h {
				folded[fold(k)] = v[0]
			}
			sc, err := s.tracer.Extract(tracegen.HTTPHeaders, folded)
			if err != nil {
				s.Errorf("Extract of headers with keys %v: %v", folded, err)
				continue
			}
			s.wantSameSpanContext(span, sc, "headers with case-folded keys")
		}
	}
	span.Finish()
}

func checkBinaryPropagation(s *suite) {
	span := s.start("Bender")
	var buf bytes.Buffer
	s.propagate(span, tracegen.Binary, &buf, &buf, map[string]string{}, "Binary, no baggage")
	span.SetBaggageItem("Kiff-loves", "Amy")
	buf.Reset()
	s.propagate(span, tracegen.Binary, &buf, &buf, map[string]string{"Kiff-loves": "Amy"}, "Binary")
	span.Finish()
}

func checkMandatoryFormats(s *suite) {
	span := s.start("Bender")
	formats := []struct {
		format  tracegen.BuiltinFormat
		carrier any
	}{
		{tracegen.TextMap, tracegen.TextMapCarrier{}},
		{tracegen.HTTPHeaders, tracegen.HTTPHeadersCarrier{}},
		{tracegen.Binary, new(bytes.Buffer)},
	}
	for _, f := range formats {
		err := s.tracer.Inject(span.Context(), f.format, f.carrier)
		if s.cfg.inject && err != nil {
			s.Errorf("Inject(%v): %v", f.format, err)
		}
		sc, err := s.tracer.Extract(f.format, f.carrier)
		if s.cfg.extract && (err != nil || sc == nil) {
			s.Errorf("Extract(%v) = %v, %v, want a span context", f.format, sc, err)
		}
	}
	span.Finish()
}

type customFormat struct{ name string }

func checkUnknownFormat(s *suite) {
	span := s.start("Bender")
	for _, format := range []any{"kiss my shiny metal ...", customFormat{"x"}, tracegen.BuiltinFormat(200), nil} {
		if err := s.tracer.Inject(span.Context(), format, tracegen.TextMapCarrier{}); !errors.Is(err, tracegen.ErrUnsupportedFormat) {
			s.Errorf("Inject with format %#v = %v, want ErrUnsupportedFormat", format, err)
		}
		sc, err := s.tracer.Extract(format, tracegen.TextMapCarrier{})
		if !errors.Is(err, tracegen.ErrUnsupportedFormat) || sc != nil {
			s.Errorf("Extract with format %#v = %#v, %v, want nil, ErrUnsupportedFormat", format, sc, err)
		}
	}
	span.Finish()
}

func checkInvalidInject(s *suite) {
	if !s.cfg.inject {
		s.Log("CheckInject is off; Inject's errors are not checked")
		return
	}
	span := s.start("op")
	carriers := map[tracegen.BuiltinFormat]any{
		tracegen.Binary:      new(bytes.Buffer),
		tracegen.TextMap:     tracegen.TextMapCarrier{},
		tracegen.HTTPHeaders: tracegen.HTTPHeadersCarrier{},
	}
	for format, carrier := range carriers {
		for _, sc := range []tracegen.SpanContext{ForeignSpanContext{}, nil} {
			if err := s.tracer.Inject(sc, format, carrier); !errors.Is(err, tracegen.ErrInvalidSpanContext) {
				s.Errorf("Inject(%#v, %v) = %v, want ErrInvalidSpanContext", sc, format, err)
			}
		}
		for _, bad := range []any{NotACarrier{}, nil} {
			if err := s.tracer.Inject(span.Context(), format, bad); !errors.Is(err, tracegen.ErrInvalidCarrier) {
				s.Errorf("Inject(%v) into %#v = %v, want ErrInvalidCarrier", format, bad, err)
			}
		}
	}
	span.Finish()
}

func checkInvalidExtract(s *suite) {
	for _, format := range []tracegen.BuiltinFormat{tracegen.Binary, tracegen.TextMap, tracegen.HTTPHeaders} {
		for _, bad := range []any{NotACarrier{}, nil} {
			sc, err := s.tracer.Extract(format, bad)
			if sc != nil {
				s.Errorf("Extract(%v) from %#v returned span context %#v with error %v, want nil", format, bad, sc, err)
			}
			if s.cfg.extract && !errors.Is(err, tracegen.ErrInvalidCarrier) {
				s.Errorf("Extract(%v) from %#v = %v, want ErrInvalidCarrier", format, bad, err)
			}
		}
	}
}

func checkExtractFromEmptyCarrier(s *suite) {
	carriers := []struct {
		format  tracegen.BuiltinFormat
		carrier any
	}{
		{tracegen.TextMap, tracegen.TextMapCarrier{}},
		{tracegen.TextMap, map[string]string{}},
		{tracegen.TextMap, tracegen.TextMapCarrier{"x-unrelated": "1"}},
		{tracegen.HTTPHeaders, http.Header{}},
		{tracegen.HTTPHeaders, http.Header{"Accept": {"text/plain"}}},
		{tracegen.HTTPHeaders, tracegen.HTTPHeadersCarrier{}},
		{tracegen.Binary, new(bytes.Buffer)},
	}
	for _, c := range carriers {
		sc, err := s.tracer.Extract(c.format, c.carrier)
		if !errors.Is(err, tracegen.ErrSpanContextNotFound) || sc != nil {
			s.Errorf("Extract(%v) from %#v = %#v, %v, want nil, ErrSpanContextNotFound", c.format, c.carrier, sc, err)
		}
	}
}

func checkCorruptedCarrier(s *suite) {
	if !s.cfg.inject || !s.cfg.extract || !s.cfg.corrupted {
		s.Log("CheckInject, CheckExtract or CheckCorruptedCarriers is off; corrupted carriers are not checked")
		return
	}
	span := s.start("op")
	span.SetBaggageItem("k", "v")
	for _, format := range []tracegen.BuiltinFormat{tracegen.TextMap, tracegen.HTTPHeaders} {
		c := tracegen.TextMapCarrier{}
		if err := s.tracer.Inject(span.Context(), format, c); err != nil {
			s.Fatalf("Inject(%v): %v", format, err)
		}
		for k := range c {
			c[k] = "%%garbage\x7f%%"
		}
		sc, err := s.tracer.Extract(format, c)
		if !errors.Is(err, tracegen.ErrSpanContextCorrupted) || sc != nil {
			s.Errorf("Extract(%v) of garbage values %v = %#v, %v, want nil, ErrSpanContextCorrupted", format, c, sc, err)
		}
	}
	var buf bytes.Buffer
	if err := s.tracer.Inject(span.Context(), tracegen.Binary, &buf); err != nil {
		s.Fatalf("Inject(Binary): %v", err)
	}
	cut := buf.Bytes()[:max(1, buf.Len()/2)]
	sc, err := s.tracer.Extract(tracegen.Binary, bytes.NewReader(cut))
	if !errors.Is(err, tracegen.ErrSpanContextCorrupted) || sc != nil {
		s.Errorf("Extract(Binary) of %d of %d bytes = %#v, %v, want nil, ErrSpanContextCorrupted", len(cut), buf.Len(), sc, err)
	}
	span.Finish()
}

func checkStartSpanFromContext(s *suite) {
	parent := s.start("parent")
	ctx := tracegen.ContextWithSpan(context.Background(), parent)
	if got := tracegen.SpanFromContext(ctx); got != parent {
		s.Errorf("SpanFromContext = %v, want the span stored by ContextWithSpan", got)
	}

	child, childCtx := tracegen.StartSpanFromContextWithTracer(ctx, s.tracer, "child")
	if child == nil || tracegen.SpanFromContext(childCtx) != child {
		s.Fatalf("StartSpanFromContextWithTracer: span %v, span in returned context %v", child, tracegen.SpanFromContext(childCtx))
	}
	s.wantParent(parent, child, "child of the span in the context")

	root, _ := tracegen.StartSpanFromContextWithTracer(ctx, s.tracer, "root", tracegen.IgnoreActiveSpan())
	s.wantParent(nil, root, "IgnoreActiveSpan")

	explicit := s.start("explicit")
	viaRef, _ := tracegen.StartSpanFromContextWithTracer(ctx, s.tracer, "explicit child", tracegen.ChildOf(explicit.Context()))
	s.wantParent(explicit, viaRef, "an explicit ChildOf beats the span in the context")
	viaFollows, _ := tracegen.StartSpanFromContextWithTracer(ctx, s.tracer, "explicit follower", tracegen.FollowsFrom(explicit.Context()))
	s.wantParent(explicit, viaFollows, "an explicit FollowsFrom beats the span in the context")

	hidden := tracegen.ContextWithSpan(ctx, nil)
	if got := tracegen.SpanFromContext(hidden); got != nil {
		s.Errorf("SpanFromContext after ContextWithSpan(ctx, nil) = %v, want nil", got)
	}
	fromHidden, _ := tracegen.StartSpanFromContextWithTracer(hidden, s.tracer, "hidden")
	s.wantParent(nil, fromHidden, "the outer span hidden by ContextWithSpan(nil)")
	fromBackground, _ := tracegen.StartSpanFromContextWithTracer(context.Background(), s.tracer, "background")
	s.wantParent(nil, fromBackground, "an empty context")

	for _, sp := range []tracegen.Span{fromBackground, fromHidden, viaFollows, viaRef, explicit, root, child, parent} {
		sp.Finish()
	}
}

// installGlobal makes the tracer under test the global tracer until the
// check ends, then restores the previous one. When the tracer under test is
// the GlobalTracer handle itself, the tracer installed now stays.
func (s *suite) installGlobal() {
	s.Helper()
	if s.tracer == tracegen.GlobalTracer() {
		return
	}
	registered, previous := tracegen.IsGlobalTracerRegistered(), tracegen.CurrentTracer()
	if err := tracegen.SetGlobalTracer(s.tracer); err != nil {
		s.Fatalf("SetGlobalTracer: %v", err)
	}
	s.Cleanup(func() {
		if registered {
			_ = tracegen.SetGlobalTracer(previous)
		} else {
			tracegen.ResetGlobalTracer()
		}
	})
}

type panicValue struct{ msg string }

// traced is a function instrumented the way tracegen instruments one. It
// returns the span active inside it.
func traced(ctx context.Context, fail error, panicWith any, opts ...tracegen.Option) (inner tracegen.Span, err error) {
	defer tracegen.Start(&ctx, "harness.traced", opts...).End(&err)
	inner = tracegen.SpanFromContext(ctx)
	if panicWith != nil {
		panic(panicWith)
	}
	return inner, fail
}

// callRecovering calls traced and returns what it panicked with.
func callRecovering(ctx context.Context, panicWith any) (recovered any) {
	defer func() { recovered = recover() }()
	_, _ = traced(ctx, nil, panicWith)
	return nil
}

func checkStartEndHelpers(s *suite) {
	s.installGlobal()
	recording := !isNoop(tracegen.CurrentTracer())
	outer := s.start("outer")
	ctx := tracegen.ContextWithSpan(context.Background(), outer)

	inner, err := traced(ctx, nil, nil)
	if err != nil {
		s.Errorf("traced returned %v, want nil", err)
	}
	if recording && (inner == nil || inner == outer) {
		s.Errorf("the span active inside a traced function is %v, want a new span", inner)
	}
	if recording {
		s.wantParent(outer, inner, "Start")
	}

	errFail := errors.New("failed")
	inner, err = traced(ctx, errFail, nil)
	if err != errFail {
		s.Errorf("traced returned %v, want its own error", err)
	}
	if recording {
		s.wantTag(inner, "error", true)
	}

	for _, v := range []any{&panicValue{"boom"}, errors.New("panic error"), "a string"} {
		if got := callRecovering(ctx, v); got != v {
			s.Errorf("panic re-raised with %#v, want the same value %#v", got, v)
		}
	}

	root, _ := traced(context.Background(), nil, nil)
	if recording {
		s.wantParent(nil, root, "Start with an empty context")
	}
	if none, _ := traced(context.Background(), nil, nil, tracegen.IfActive); none != nil {
		s.Errorf("Start with IfActive and no active span made span %v active, want none", none)
	}
	if recording {
		client, _ := traced(ctx, nil, nil, tracegen.KindClient)
		s.wantTag(client, "span.kind", "client")
	}

	viaGlobal, _ := tracegen.StartSpanFromContext(ctx, "via global")
	s.wantParent(outer, viaGlobal, "StartSpanFromContext with the global tracer")
	viaGlobal.Finish()
	fromHandle := tracegen.GlobalTracer().StartSpan("via handle", tracegen.ChildOf(outer.Context()))
	s.wantParent(outer, fromHandle, "GlobalTracer().StartSpan")
	fromHandle.Finish()
	outer.Finish()
}

func checkStartRequestHelper(s *suite) {
	s.installGlobal()
	recording := !isNoop(tracegen.CurrentTracer())
	client := s.start("client")
	defer client.Finish()
	req := httptest.NewRequest(http.MethodGet, "http://example.com/users?id=1", nil)
	err := s.tracer.Inject(client.Context(), tracegen.HTTPHeaders, tracegen.HTTPHeadersCarrier(req.Header))
	if s.cfg.inject && err != nil {
		s.Fatalf("Inject: %v", err)
	}
	handler := func(r *http.Request) (span tracegen.Span) {
		defer tracegen.StartRequest(&r, "GET /users").End(nil)
		return tracegen.SpanFromContext(r.Context())
	}
	server := handler(req)
	if !recording {
		return
	}
	if server == nil {
		s.Fatal("no span active in the request inside the handler")
	}
	if s.cfg.inject && s.cfg.extract {
		s.wantParent(client, server, "StartRequest with a parent in the headers")
	}
	s.wantTag(server, "http.method", "GET")
	s.wantTag(server, "http.url", "http://example.com/users?id=1")
	s.wantTag(server, "span.kind", "server")
}

func checkConcurrentUse(s *suite) {
	parent := s.start("parent")
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				span := s.start("worker", tracegen.ChildOf(parent.Context()))
				span.SetTag("worker", w).SetBaggageItem("i", fmt.Sprint(i))
				span.LogKV("i", i)
				parent.SetTag(fmt.Sprint("w", w), i)
				parent.LogFields(log.Int("w", w))
				_ = parent.BaggageItem("x")
				c := tracegen.TextMapCarrier{}
				if err := s.tracer.Inject(span.Context(), tracegen.TextMap, c); err == nil {
					_, _ = s.tracer.Extract(tracegen.TextMap, c)
				}
				span.Finish()
			}
		}()
	}
	wg.Wait()
	parent.Finish()
}
