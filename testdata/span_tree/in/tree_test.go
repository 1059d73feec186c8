package spantree

import (
	"context"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

func TestSpanTree(t *testing.T) {
	tracer := mocktracer.New()
	tracegen.SetGlobalTracer(tracer)
	defer tracegen.ResetGlobalTracer()

	if err := Outer(context.Background(), 3); err == nil || err.Error() != "failed" {
		t.Fatalf("Outer() = %v, want failed", err)
	}
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want the same panic value boom", r)
			}
		}()
		Boom()
	}()

	spans := map[string]*mocktracer.Span{}
	for _, s := range tracer.FinishedSpans() {
		spans[s.OperationName()] = s
	}
	if len(spans) != 4 {
		t.Fatalf("finished spans %v, want Outer, Inner, Fail and Boom", spans)
	}
	outer, inner, fail, boom := spans["spantree.Outer"], spans["spantree.Inner"], spans["spantree.Fail"], spans["spantree.Boom"]
	if outer == nil || inner == nil || fail == nil || boom == nil {
		t.Fatalf("spans %v", spans)
	}
	if outer.ParentID() != 0 || boom.ParentID() != 0 {
		t.Errorf("Outer and Boom should be roots: parents %d, %d", outer.ParentID(), boom.ParentID())
	}
	if inner.ParentID() != outer.SpanID() || fail.ParentID() != outer.SpanID() {
		t.Errorf("Inner and Fail should be children of Outer (%d): %d, %d", outer.SpanID(), inner.ParentID(), fail.ParentID())
	}
	if v := outer.Tag("n"); v != int64(3) {
		t.Errorf("Outer tag n = %v (%T), want int64 3", v, v)
	}
	for _, s := range []*mocktracer.Span{outer, fail, boom} {
		if s.Tag("error") != true {
			t.Errorf("%s: error tag %v, want true", s.OperationName(), s.Tag("error"))
		}
	}
	if inner.Tag("error") != nil {
		t.Errorf("Inner: error tag %v, want none", inner.Tag("error"))
	}
	if logs := boom.Logs(); len(logs) == 0 {
		t.Error("Boom: panic not logged")
	}
}
