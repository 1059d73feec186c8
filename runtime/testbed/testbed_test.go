package testbed

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// installTracer installs a new mock tracer as the global tracer until the
// test ends. It is for scenarios written with the generated-code API
// (tracegen.Start), which uses the global tracer; those tests must not be
// parallel. The other scenarios pass their own tracer and run in parallel,
// which go test does only after the sequential tests are done.
func installTracer(t *testing.T) *mocktracer.Tracer {
	t.Helper()
	tr := mocktracer.New()
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		t.Fatalf("SetGlobalTracer: %v", err)
	}
	t.Cleanup(tracegen.ResetGlobalTracer)
	return tr
}

// spanTree renders finished spans as the forest they form, one span a line:
// its operation name and its tags sorted by key, children indented under
// their parent. Siblings and roots are sorted by their rendering, so the
// text does not depend on the order in which goroutines ran. A span whose
// parent has not finished is shown as a root, marked; so is a child that
// lives in another trace than its parent.
func spanTree(spans []*mocktracer.Span) string {
	byID := make(map[uint64]*mocktracer.Span, len(spans))
	for _, s := range spans {
		byID[s.SpanID()] = s
	}
	children := make(map[uint64][]*mocktracer.Span)
	var roots []*mocktracer.Span
	for _, s := range spans {
		if _, ok := byID[s.ParentID()]; ok {
			children[s.ParentID()] = append(children[s.ParentID()], s)
		} else {
			roots = append(roots, s)
		}
	}
	var render func(s *mocktracer.Span, depth int) string
	render = func(s *mocktracer.Span, depth int) string {
		var b strings.Builder
		b.WriteString(strings.Repeat("  ", depth))
		b.WriteString(s.OperationName())
		tags := s.Tags()
		for _, k := range sortedKeys(tags) {
			fmt.Fprintf(&b, " %s=%v", k, tags[k])
		}
		if p, ok := byID[s.ParentID()]; ok && p.TraceID() != s.TraceID() {
			b.WriteString(" (not in its parent's trace)")
		}
		if s.ParentID() != 0 && depth == 0 {
			b.WriteString(" (parent not finished)")
		}
		b.WriteString("\n")
		var subtrees []string
		for _, c := range children[s.SpanID()] {
			subtrees = append(subtrees, render(c, depth+1))
		}
		slices.Sort(subtrees)
		b.WriteString(strings.Join(subtrees, ""))
		return b.String()
	}
	var trees []string
	for _, r := range roots {
		trees = append(trees, render(r, 0))
	}
	slices.Sort(trees)
	return strings.Join(trees, "")
}

// finishOrder returns the operation names of spans, in the order they
// finished.
func finishOrder(spans []*mocktracer.Span) []string {
	names := make([]string, len(spans))
	for i, s := range spans {
		names[i] = s.OperationName()
	}
	return names
}

// traces returns how many traces spans belong to.
func traces(spans []*mocktracer.Span) int {
	ids := make(map[uint64]bool)
	for _, s := range spans {
		ids[s.TraceID()] = true
	}
	return len(ids)
}

// waitTimeout bounds every wait in the testbed, so that a lost goroutine
// fails the test instead of hanging it.
const waitTimeout = 10 * time.Second

// wait waits until done is closed.
func wait(t *testing.T, done <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(waitTimeout):
		t.Fatalf("timed out after %v waiting for %s", waitTimeout, what)
	}
}

// receive waits for one value from ch.
func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitTimeout):
		t.Fatalf("timed out after %v waiting for %s", waitTimeout, what)
		panic("unreachable")
	}
}

func TestSpanTree(t *testing.T) {
	t.Parallel()
	tr := mocktracer.New()
	root := tr.StartSpan("root", tracegen.Tag{Key: "k", Value: 1})
	b := tr.StartSpan("b", tracegen.ChildOf(root.Context()))
	a := tr.StartSpan("a", tracegen.ChildOf(root.Context()))
	grandchild := tr.StartSpan("grandchild", tracegen.ChildOf(b.Context()))
	unfinished := tr.StartSpan("unfinished")
	orphan := tr.StartSpan("orphan", tracegen.ChildOf(unfinished.Context()))
	other := tr.StartSpan("other")
	for _, s := range []tracegen.Span{grandchild, b, a, orphan, other, root} {
		s.Finish()
	}
	want := "orphan (parent not finished)\n" +
		"other\n" +
		"root k=1\n" +
		"  a\n" +
		"  b\n" +
		"    grandchild\n"
	if got := spanTree(tr.FinishedSpans()); got != want {
		t.Errorf("spanTree:\n%s\nwant:\n%s", got, want)
	}
}

// sortedKeys returns the keys of m in order.
func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
