package console

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tracegen/tracegen/runtime/exporter/internal/spanfmt"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// maxBufferedSpans bounds the spans a TreeExporter holds while it waits for
// root spans; past it, the oldest trace is printed as it is.
const maxBufferedSpans = 10000

// TreeExporter prints each trace as an indented tree, children under their
// parents ordered by start time:
//
//	trace 4bf92f3577b34da6a3ce929d0e0e4736
//	└─ GET /users [server] 12.3ms  service=api http.method=GET
//	   ├─ db.Query 1.1ms  db.statement="select 1"
//	   └─ cache.Get 0.2ms ✗ error="timeout"
//
// It holds a trace's spans until one of its local root spans (one without a
// parent in this process) arrives, then prints all of the trace's spans it
// holds; a span whose parent it never saw is printed as a root. Shutdown
// prints whatever is left.
type TreeExporter struct {
	cfg    config
	mu     sync.Mutex
	w      io.Writer
	traces map[tracer.TraceID][]*tracer.SpanData
	order  []tracer.TraceID // arrival order of traces, for eviction
	held   int
	closed bool
}

var _ tracer.Exporter = (*TreeExporter)(nil)

// NewTree returns an exporter printing span trees to w, for example
// os.Stderr. Shutdown does not close w.
func NewTree(w io.Writer, opts ...Option) *TreeExporter {
	e := &TreeExporter{w: w, traces: make(map[tracer.TraceID][]*tracer.SpanData)}
	for _, o := range opts {
		o.apply(&e.cfg)
	}
	return e
}

// ExportSpans holds the spans and prints the traces whose root arrived.
func (e *TreeExporter) ExportSpans(ctx context.Context, spans []*tracer.SpanData) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrShutdown
	}
	var done []tracer.TraceID
	for _, s := range spans {
		id := s.Context.TraceID
		if _, ok := e.traces[id]; !ok {
			e.order = append(e.order, id)
		}
		e.traces[id] = append(e.traces[id], s)
		e.held++
		if spanfmt.IsLocalRoot(s) {
			done = append(done, id)
		}
	}
	var b bytes.Buffer
	for _, id := range done {
		e.printTrace(&b, id)
	}
	for e.held > maxBufferedSpans && len(e.order) > 0 {
		e.printTrace(&b, e.order[0])
	}
	if b.Len() == 0 {
		return nil
	}
	_, err := e.w.Write(b.Bytes())
	return err
}

// Shutdown prints the traces still held, oldest first.
func (e *TreeExporter) Shutdown(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return nil
	}
	e.closed = true
	var b bytes.Buffer
	for len(e.order) > 0 {
		e.printTrace(&b, e.order[0])
	}
	if b.Len() == 0 {
		return nil
	}
	_, err := e.w.Write(b.Bytes())
	return err
}

// printTrace writes one held trace and forgets it.
func (e *TreeExporter) printTrace(b *bytes.Buffer, id tracer.TraceID) {
	spans, ok := e.traces[id]
	if !ok {
		return
	}
	delete(e.traces, id)
	e.held -= len(spans)
	if i := slices.Index(e.order, id); i >= 0 {
		e.order = slices.Delete(e.order, i, i+1)
	}
	WriteTree(b, spans, e.cfg.noTimes)
}

// WriteTree writes spans of one trace as a tree to b; noTimes leaves out
// durations. A span whose parent is not among spans is printed as a root.
func WriteTree(b *bytes.Buffer, spans []*tracer.SpanData, noTimes bool) {
	if len(spans) == 0 {
		return
	}
	byID := make(map[tracer.SpanID]bool, len(spans))
	for _, s := range spans {
		byID[s.Context.SpanID] = true
	}
	children := make(map[tracer.SpanID][]*tracer.SpanData)
	var roots []*tracer.SpanData
	for _, s := range spans {
		if s.Parent.SpanID.IsValid() && byID[s.Parent.SpanID] && s.Parent.SpanID != s.Context.SpanID {
			children[s.Parent.SpanID] = append(children[s.Parent.SpanID], s)
		} else {
			roots = append(roots, s)
		}
	}
	byStart := func(a, c *tracer.SpanData) int {
		return cmp.Or(a.Start.Compare(c.Start), strings.Compare(a.Name, c.Name), bytes.Compare(a.Context.SpanID[:], c.Context.SpanID[:]))
	}
	slices.SortFunc(roots, byStart)
	for _, c := range children {
		slices.SortFunc(c, byStart)
	}
	b.WriteString("trace ")
	b.WriteString(spans[0].Context.TraceID.String())
	b.WriteByte('\n')
	seen := make(map[tracer.SpanID]bool, len(spans))
	var walk func(s *tracer.SpanData, prefix string, last bool, parentService string)
	walk = func(s *tracer.SpanData, prefix string, last bool, parentService string) {
		if seen[s.Context.SpanID] {
			return // a cycle of bad parent ids
		}
		seen[s.Context.SpanID] = true
		branch, indent := "├─ ", "│  "
		if last {
			branch, indent = "└─ ", "   "
		}
		b.WriteString(prefix)
		b.WriteString(branch)
		writeTreeLine(b, s, noTimes, parentService)
		kids := children[s.Context.SpanID]
		for i, c := range kids {
			walk(c, prefix+indent, i == len(kids)-1, spanfmt.ServiceName(s))
		}
	}
	for i, r := range roots {
		walk(r, "", i == len(roots)-1, "")
	}
}

// panicked reports whether s recorded a panic: runtime.Scope.End logs a
// panic with an error.kind of "panic: <type>".
func panicked(s *tracer.SpanData) bool {
	for _, l := range s.Logs {
		for _, f := range l.Fields {
			if f.Key() == "error.kind" && strings.HasPrefix(spanfmt.String(f), "panic: ") {
				return true
			}
		}
	}
	return false
}

// writeTreeLine writes "name [kind] duration ✗ error=msg  service=x k=v ...".
func writeTreeLine(b *bytes.Buffer, s *tracer.SpanData, noTimes bool, parentService string) {
	b.WriteString(s.Name)
	if s.Kind != "" {
		b.WriteString(" [")
		b.WriteString(s.Kind)
		b.WriteByte(']')
	}
	if !noTimes {
		b.WriteByte(' ')
		b.WriteString(formatDuration(s.End.Sub(s.Start)))
	}
	if s.Error {
		if panicked(s) {
			b.WriteString(" ✗ panic")
		} else {
			b.WriteString(" ✗ error")
		}
		if msg := spanfmt.ErrorMessage(s); msg != "" {
			b.WriteByte('=')
			b.WriteString(quoteIfNeeded(msg))
		}
	}
	sep := "  "
	if svc := spanfmt.ServiceName(s); svc != "" && svc != parentService {
		b.WriteString(sep + "service=" + quoteIfNeeded(svc))
		sep = " "
	}
	for _, f := range s.Tags {
		if f.Key() == "error" {
			continue
		}
		b.WriteString(sep)
		sep = " "
		b.WriteString(f.Key())
		b.WriteByte('=')
		b.WriteString(quoteIfNeeded(spanfmt.String(f)))
	}
	if n := len(s.Logs); n > 0 {
		b.WriteString(sep)
		if n == 1 {
			b.WriteString("(1 log)")
		} else {
			b.WriteString("(" + itoa(n) + " logs)")
		}
	}
	b.WriteByte('\n')
}

func itoa(n int) string { return strconv.Itoa(n) }

// formatDuration rounds to three significant digits: 12.3ms, 1.05s, 850µs.
func formatDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	case d >= time.Microsecond:
		return d.Round(time.Microsecond).String()
	}
	return d.String()
}

func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\r\"=") {
		return strconv.Quote(s)
	}
	return s
}
