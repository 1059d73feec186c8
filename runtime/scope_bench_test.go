package runtime

import (
	"context"
	"errors"
	"os/exec"
	"regexp"
	"testing"
)

// The peer comparisons (opentracing-go, OpenTelemetry) live in the bench
// module, which may import them; these benchmarks measure the generated
// code's noop path against the uninstrumented floor without leaving the
// standard library.

//go:noinline
func tracedNoop(ctx context.Context) (err error) {
	defer Start(&ctx, "bench.traced").End(&err)
	if ctx == nil {
		return errBench
	}
	return nil
}

var errBench = errors.New("bench")

//go:noinline
func untraced(ctx context.Context) (err error) {
	if ctx == nil {
		return errBench
	}
	return nil
}

// BenchmarkStartEndNoop measures the code tracegen injects when no tracer
// is installed, the cost every instrumented function pays by default:
// with an empty context, with a span in the context, and with a NoopTracer
// installed explicitly, which must take the same path.
func BenchmarkStartEndNoop(b *testing.B) {
	bg := context.Background()
	withParent := ContextWithSpan(bg, NoopTracer{}.StartSpan("parent"))
	cases := []struct {
		name    string
		ctx     context.Context
		install bool
	}{
		{"parent=none", bg, false},
		{"parent=local", withParent, false},
		{"parent=none/installed=noop", bg, true},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			ResetGlobalTracer()
			b.Cleanup(ResetGlobalTracer)
			if c.install {
				if err := SetGlobalTracer(NoopTracer{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			for range b.N {
				_ = tracedNoop(c.ctx)
			}
		})
	}
}

// BenchmarkUntraced is the same function without instrumentation, the floor
// the noop path is compared with.
func BenchmarkUntraced(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for range b.N {
		_ = untraced(ctx)
	}
}

// TestStartIsInlined guards what makes the noop path cheap: the compiler
// inlines Start and StartFrom, so a traced function with no tracer installed pays one
// pointer load and a branch instead of a call. Start sits near the inlining
// budget; an innocent-looking change can push it over.
func TestStartIsInlined(t *testing.T) {
	gotool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to ask the compiler: %v", err)
	}
	out, err := exec.Command(gotool, "build", "-gcflags=-m", "-o", "/dev/null", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	for _, fn := range []string{"Start", "StartFrom"} {
		if !regexp.MustCompile(`(?m)scope\.go:\d+:\d+: can inline ` + fn + `$`).Match(out) {
			t.Errorf("the compiler no longer inlines %s; see why with\n\tgo build -gcflags=-m=2 ./runtime 2>&1 | grep 'inline %[1]s'", fn)
		}
	}
	if regexp.MustCompile(`(?m)scope\.go:\d+:\d+: moved to heap: ctx$`).Match(out) {
		t.Error("StartFrom's context escapes to the heap")
	}
}
