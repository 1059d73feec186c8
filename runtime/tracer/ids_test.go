package tracer

import (
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
)

func TestRandomIDsUniqueAndValid(t *testing.T) {
	t.Parallel()
	const n = 100000
	traces := make(map[TraceID]bool, n)
	spans := make(map[SpanID]bool, 2*n)
	g := randomIDs{}
	for range n {
		tid, sid := g.NewIDs()
		child := g.NewSpanID(tid)
		if !tid.IsValid() || !sid.IsValid() || !child.IsValid() {
			t.Fatalf("zero id: %v %v %v", tid, sid, child)
		}
		if traces[tid] || spans[sid] || spans[child] || sid == child {
			t.Fatalf("repeated id after %d traces", len(traces))
		}
		traces[tid] = true
		spans[sid] = true
		spans[child] = true
	}
}

func TestSpanIDsAndFlags(t *testing.T) {
	t.Parallel()
	tr := New(WithSampler(AlwaysSample()))
	root := tr.StartSpan("root")
	child := tr.StartSpan("child", tracegen.ChildOf(root.Context()))
	rc, cc := ctxOf(root), ctxOf(child)
	if rc.Flags != FlagSampled|FlagRandom {
		t.Errorf("root flags = %#x, want sampled|random", rc.Flags)
	}
	if cc.Flags != rc.Flags {
		t.Errorf("child flags = %#x, want the parent's %#x", cc.Flags, rc.Flags)
	}
	if cc.TraceID != rc.TraceID || cc.SpanID == rc.SpanID {
		t.Errorf("child %v/%v, parent %v/%v: want the same trace and a new span id", cc.TraceID, cc.SpanID, rc.TraceID, rc.SpanID)
	}
}

// seqIDs makes predictable ids and does not claim randomness.
type seqIDs struct{ n byte }

func (g *seqIDs) NewIDs() (TraceID, SpanID) {
	g.n++
	return TraceID{15: g.n}, SpanID{7: g.n}
}

func (g *seqIDs) NewSpanID(TraceID) SpanID {
	g.n++
	return SpanID{7: g.n}
}

func TestCustomIDGeneratorHasNoRandomFlag(t *testing.T) {
	t.Parallel()
	tr := New(WithIDGenerator(&seqIDs{}))
	sc := ctxOf(tr.StartSpan("root"))
	if sc.TraceID != (TraceID{15: 1}) || sc.SpanID != (SpanID{7: 1}) {
		t.Errorf("ids = %v %v, want the generator's", sc.TraceID, sc.SpanID)
	}
	if sc.Flags != FlagSampled {
		t.Errorf("flags = %#x, want only sampled", sc.Flags)
	}
}
