package deep

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

type inner struct {
	N    int
	tags map[string]any
}

type outer struct {
	Name  string
	In    *inner
	List  []inner
	Err   error
	When  time.Time
	Stamp time.Time
	hook  func()
}

// TestDiff: every kind of difference is found and named by its path, and
// the options make exactly the differences they cover disappear.
func TestDiff(t *testing.T) {
	base := func() outer {
		return outer{Name: "a", In: &inner{N: 1, tags: map[string]any{"k": 1}}, List: []inner{{N: 2}}, When: time.Unix(5, 0)}
	}
	wrapped := fmt.Errorf("wrap: %w", errBoom)
	tests := []struct {
		name   string
		change func(*outer)
		opts   []Option
		want   string // a line of the diff, or "" for equal
	}{
		{"equal", func(*outer) {}, nil, ""},
		{"string", func(o *outer) { o.Name = "b" }, nil, "Name:"},
		{"through a pointer", func(o *outer) { o.In = &inner{N: 9, tags: map[string]any{"k": 1}} }, nil, "In.N:"},
		{"unexported map value", func(o *outer) { o.In = &inner{N: 1, tags: map[string]any{"k": 2}} }, nil, `In.tags["k"]:`},
		{"missing map key", func(o *outer) { o.In = &inner{N: 1, tags: map[string]any{}} }, nil, `In.tags["k"]:`},
		{"slice length", func(o *outer) { o.List = nil }, nil, "List:"},
		{"slice element", func(o *outer) { o.List = []inner{{N: 3}} }, nil, "List[0].N:"},
		{"nil and empty slices differ", func(o *outer) { o.List = []inner{} }, nil, "List:"},
		{"time by Equal", func(o *outer) { o.When = time.Unix(5, 0).In(time.FixedZone("x", 3600)) }, nil, ""},
		{"time differs", func(o *outer) { o.When = time.Unix(6, 0) }, nil, "When:"},
		{"errors by identity", func(o *outer) { o.Err = wrapped }, nil, "Err:"},
		{"func", func(o *outer) { o.hook = func() {} }, nil, "hook:"},
		{"IgnoreFields", func(o *outer) { o.Name = "b" }, []Option{IgnoreFields(outer{}, "Name")}, ""},
		{"IgnoreUnexported", func(o *outer) { o.hook = func() {} }, []Option{IgnoreUnexported(outer{})}, ""},
		{"EquateEmpty", func(o *outer) { o.List = []inner{} }, []Option{EquateEmpty()}, "List:"},
		{"Comparer", func(o *outer) { o.Name = "A" }, []Option{Comparer(func(a, b string) bool { return strings.EqualFold(a, b) })}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, got := base(), base()
			tt.change(&got)
			diff := Diff(want, got, tt.opts...)
			if tt.want == "" && diff != "" {
				t.Errorf("Diff reported a difference:\n%s", diff)
			}
			if tt.want != "" && !strings.Contains(diff, tt.want) {
				t.Errorf("Diff = %q, want a line %q", diff, tt.want)
			}
			if Equal(want, got, tt.opts...) != (diff == "") {
				t.Error("Equal disagrees with Diff")
			}
		})
	}
}

var errBoom = errors.New("boom")

func TestEquateErrors(t *testing.T) {
	wrapped := fmt.Errorf("wrap: %w", errBoom)
	if !Equal(errBoom, wrapped, EquateErrors()) || !Equal(wrapped, errBoom, EquateErrors()) {
		t.Error("EquateErrors: a wrapped error differs from what it wraps")
	}
	if Equal(errBoom, errors.New("boom"), EquateErrors()) {
		t.Error("EquateErrors: two distinct errors are equal")
	}
	if Equal([]error{nil}, []error{errBoom}, EquateErrors()) {
		t.Error("EquateErrors: nil equals an error")
	}
}

func TestEquateEmptyNilMap(t *testing.T) {
	if Equal(map[string]int(nil), map[string]int{}) {
		t.Error("nil and empty maps are equal without EquateEmpty")
	}
	if !Equal(map[string]int(nil), map[string]int{}, EquateEmpty()) {
		t.Error("nil and empty maps differ with EquateEmpty")
	}
}

func TestCycles(t *testing.T) {
	type node struct{ Next *node }
	a, b := &node{}, &node{}
	a.Next, b.Next = a, b
	if !Equal(a, b) {
		t.Error("two equal cycles differ")
	}
}
