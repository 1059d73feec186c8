package tracer

import (
	"encoding/binary"
	"math"
	"testing"

	tracegen "github.com/tracegen/tracegen/runtime"
)

func TestTraceIDRatioStatistics(t *testing.T) {
	t.Parallel()
	const n = 200000
	for _, f := range []float64{0.01, 0.1, 0.25, 0.5, 0.9} {
		s := TraceIDRatio(f)
		sampled := 0
		for range n {
			id, _ := randomIDs{}.NewIDs()
			if s.ShouldSample(SamplingParameters{TraceID: id}) {
				sampled++
			}
		}
		got := float64(sampled) / n
		// Five standard deviations of a binomial proportion.
		tol := 5 * math.Sqrt(f*(1-f)/n)
		if math.Abs(got-f) > tol {
			t.Errorf("TraceIDRatio(%v) sampled %.4f of %d trace ids, want within %.4f", f, got, n, tol)
		}
	}
}

func TestTraceIDRatioRule(t *testing.T) {
	t.Parallel()
	idWithLow := func(low uint64) TraceID {
		var id TraceID
		binary.BigEndian.PutUint64(id[:8], 0xffffffffffffffff) // ignored
		binary.BigEndian.PutUint64(id[8:], low)
		return id
	}
	// fraction 0.5: bound 2^62; low>>1 < 2^62 ⇔ low < 2^63.
	tests := []struct {
		name     string
		fraction float64
		low      uint64
		want     bool
	}{
		{"zero id half", 0.5, 0, true},
		{"just below half", 0.5, 1<<63 - 1, true},
		{"half", 0.5, 1 << 63, false},
		{"max id half", 0.5, math.MaxUint64, false},
		{"fraction one max id", 1, math.MaxUint64, true},
		{"fraction above one", 2, math.MaxUint64, true},
		{"fraction zero zero id", 0, 0, false},
		{"negative fraction", -1, 0, false},
		{"NaN", math.NaN(), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := TraceIDRatio(tt.fraction)
			p := SamplingParameters{TraceID: idWithLow(tt.low)}
			if got := s.ShouldSample(p); got != tt.want {
				t.Errorf("TraceIDRatio(%v).ShouldSample(low=%#x) = %v, want %v", tt.fraction, tt.low, got, tt.want)
			}
			// Deterministic: the same id always gets the same answer.
			for range 3 {
				if s.ShouldSample(p) != tt.want {
					t.Fatal("decision changed between calls")
				}
			}
		})
	}
}

func TestSamplerDescriptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    Sampler
		want string
	}{
		{AlwaysSample(), "AlwaysOnSampler"},
		{NeverSample(), "AlwaysOffSampler"},
		{TraceIDRatio(0.25), "TraceIDRatioBased{0.25}"},
		{ParentBased(TraceIDRatio(0.5)), "ParentBased{root:TraceIDRatioBased{0.5},remoteParentSampled:AlwaysOnSampler,remoteParentNotSampled:AlwaysOffSampler,localParentSampled:AlwaysOnSampler,localParentNotSampled:AlwaysOffSampler}"},
	}
	for _, tt := range tests {
		if got := tt.s.Description(); got != tt.want {
			t.Errorf("Description() = %q, want %q", got, tt.want)
		}
	}
}

func TestParentBasedMatrix(t *testing.T) {
	t.Parallel()
	parent := func(remote, sampled bool) SamplingParameters {
		sc := SpanContext{TraceID: TraceID{1}, SpanID: SpanID{1}, Remote: remote}
		if sampled {
			sc.Flags = FlagSampled
		}
		return SamplingParameters{Parent: sc, HasParent: true, TraceID: sc.TraceID}
	}
	tests := []struct {
		name    string
		sampler Sampler
		p       SamplingParameters
		want    bool
	}{
		{"root, root samples", ParentBased(AlwaysSample()), SamplingParameters{}, true},
		{"root, root drops", ParentBased(NeverSample()), SamplingParameters{}, false},
		{"remote sampled", ParentBased(NeverSample()), parent(true, true), true},
		{"remote not sampled", ParentBased(AlwaysSample()), parent(true, false), false},
		{"local sampled", ParentBased(NeverSample()), parent(false, true), true},
		{"local not sampled", ParentBased(AlwaysSample()), parent(false, false), false},
		{"override remote sampled", ParentBased(AlwaysSample(), WithRemoteParentSampled(NeverSample())), parent(true, true), false},
		{"override remote not sampled", ParentBased(NeverSample(), WithRemoteParentNotSampled(AlwaysSample())), parent(true, false), true},
		{"override local sampled", ParentBased(AlwaysSample(), WithLocalParentSampled(NeverSample())), parent(false, true), false},
		{"override local not sampled", ParentBased(NeverSample(), WithLocalParentNotSampled(AlwaysSample())), parent(false, false), true},
		{"nil root samples", ParentBased(nil), SamplingParameters{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.sampler.ShouldSample(tt.p); got != tt.want {
				t.Errorf("ShouldSample = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestLocalSampledChildShortcut checks that the tracer's shortcut for
// children of local sampled spans gives the sampler's own answer.
func TestLocalSampledChildShortcut(t *testing.T) {
	for _, tc := range []struct {
		name    string
		sampler Sampler
		want    bool
	}{
		{"always", AlwaysSample(), true},
		{"parent-based", ParentBased(AlwaysSample()), true},
		{"parent-based, local sampled parent never", ParentBased(AlwaysSample(), WithLocalParentSampled(NeverSample())), false},
		{"ratio 0", TraceIDRatio(0), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(WithSampler(tc.sampler))
			root := tr.StartSpan("root", tracegen.Tag{Key: "sampling.priority", Value: 1})
			child := tr.StartSpan("child", tracegen.ChildOf(root.Context()))
			c, _ := SpanContextOf(child.Context())
			if c.IsSampled() != tc.want {
				t.Errorf("child of a local sampled span: sampled %v, want %v", c.IsSampled(), tc.want)
			}
		})
	}
}
