package tracer

import (
	"context"
	"errors"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// BenchmarkStartFinish measures the tracer alone: a sampled child span
// started from a parent context and finished, into a processor that drops
// it. The peers are compared in the bench module.
func BenchmarkStartFinish(b *testing.B) {
	tr := New(WithProcessor(&nopProcessor{}))
	parent := tr.StartSpan("parent").Context()
	opts := tracegen.StartSpanOptions{Parent: parent}
	b.ReportAllocs()
	for range b.N {
		tr.StartSpanWithOptions("child", opts).Finish()
	}
}

// BenchmarkStartEnd is the generated code's path through the global tracer:
// sampled, sampled with two tags and an error, and unsampled.
func BenchmarkStartEnd(b *testing.B) {
	fail := errors.New("failed")
	for _, bc := range []struct {
		name    string
		sampler Sampler
		err     error
	}{
		{"sampled", AlwaysSample(), nil},
		{"sampled-tags-error", AlwaysSample(), fail},
		{"unsampled", ParentBased(NeverSample()), nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			tr := New(WithSampler(bc.sampler), WithProcessor(&nopProcessor{}))
			benchTwoTags(b, tr, bc.err)
		})
		b.Run(bc.name+"-reused", func(b *testing.B) {
			tr := New(WithSampler(bc.sampler), WithProcessor(releaseProcessor{}))
			benchTwoTags(b, tr, bc.err)
		})
	}
}

func benchTwoTags(b *testing.B, tr *Tracer, fail error) {
	if err := tracegen.SetGlobalTracer(tr); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(tracegen.ResetGlobalTracer)
	ctx := tracegen.ContextWithSpan(context.Background(), tr.StartSpan("root"))
	b.ReportAllocs()
	for range b.N {
		_ = tracedTwoTags(ctx, fail)
	}
}

// releaseProcessor releases every span as it ends, so that the tracer
// reuses SpanData: the span's own cost without a batch processor's.
type releaseProcessor struct{}

func (releaseProcessor) OnEnd(s *SpanData)                { releaseData(s) }
func (releaseProcessor) ForceFlush(context.Context) error { return nil }
func (releaseProcessor) Shutdown(context.Context) error   { return nil }
func (releaseProcessor) releasesSpans() bool              { return true }

//go:noinline
func tracedTwoTags(ctx context.Context, fail error) (err error) {
	defer tracegen.Start(&ctx, "traced").TagString("a", "alpha").TagString("b", "beta").End(&err)
	return fail
}
