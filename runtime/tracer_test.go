package runtime_test

import (
	"testing"
	"time"

	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

func TestStartSpanOptionsApply(t *testing.T) {
	t.Parallel()
	parent := mocktracer.SpanContext{TraceID: 1, SpanID: 1}
	other := mocktracer.SpanContext{TraceID: 2, SpanID: 2}
	start := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name string
		opts []tracegen.StartSpanOption
		want tracegen.StartSpanOptions
	}{
		{name: "none"},
		{name: "nil option", opts: []tracegen.StartSpanOption{nil}},
		{
			name: "nil references ignored",
			opts: []tracegen.StartSpanOption{tracegen.ChildOf(nil), tracegen.FollowsFrom(nil)},
		},
		{
			name: "references in order",
			opts: []tracegen.StartSpanOption{tracegen.FollowsFrom(other), tracegen.ChildOf(nil), tracegen.ChildOf(parent)},
			want: tracegen.StartSpanOptions{References: []tracegen.SpanReference{
				{Type: tracegen.FollowsFromRef, ReferencedContext: other},
				{Type: tracegen.ChildOfRef, ReferencedContext: parent},
			}},
		},
		{
			name: "start time, last wins",
			opts: []tracegen.StartSpanOption{tracegen.StartTime(start.Add(-time.Hour)), tracegen.StartTime(start)},
			want: tracegen.StartSpanOptions{StartTime: start},
		},
		{
			name: "tags merge, later wins",
			opts: []tracegen.StartSpanOption{
				tracegen.Tags{"a": 1, "b": "x"},
				tracegen.Tag{Key: "b", Value: uint16(2)},
				tracegen.Tags{"c": true},
			},
			want: tracegen.StartSpanOptions{Tags: map[string]any{"a": 1, "b": uint16(2), "c": true}},
		},
		{
			name: "ignore active span",
			opts: []tracegen.StartSpanOption{tracegen.IgnoreActiveSpan()},
			want: tracegen.StartSpanOptions{IgnoreActiveSpan: true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got tracegen.StartSpanOptions
			got.Apply(tt.opts...)
			if diff := deep.Diff(tt.want, got); diff != "" {
				t.Errorf("options (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTagsOptionDoesNotShareTheCallersMap(t *testing.T) {
	t.Parallel()
	tags := tracegen.Tags{"a": 1}
	var o tracegen.StartSpanOptions
	o.Apply(tags)
	o.Tags["b"] = 2
	if _, ok := tags["b"]; ok {
		t.Errorf("applying Tags shares the caller's map: %v", tags)
	}
}

func TestParentReferences(t *testing.T) {
	t.Parallel()
	parent := mocktracer.SpanContext{TraceID: 1, SpanID: 1}
	other := mocktracer.SpanContext{TraceID: 2, SpanID: 2}
	tests := []struct {
		name string
		opts tracegen.StartSpanOptions
		want []tracegen.SpanReference
	}{
		{"empty", tracegen.StartSpanOptions{}, nil},
		{"parent", tracegen.StartSpanOptions{Parent: parent}, []tracegen.SpanReference{tracegen.ChildOf(parent)}},
		{
			"references beat parent",
			tracegen.StartSpanOptions{Parent: parent, References: []tracegen.SpanReference{tracegen.FollowsFrom(other)}},
			[]tracegen.SpanReference{tracegen.FollowsFrom(other)},
		},
	}
	for _, tt := range tests {
		if diff := deep.Diff(tt.want, tt.opts.ParentReferences()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}
}
