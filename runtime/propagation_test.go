package runtime_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/tracegen/tracegen/runtime/fastpath"
	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
)

func collect(t *testing.T, r tracegen.TextMapReader) map[string]string {
	t.Helper()
	got := map[string]string{}
	if err := r.ForeachKey(func(k, v string) error { got[k] = v; return nil }); err != nil {
		t.Fatalf("ForeachKey: %v", err)
	}
	return got
}

func TestTextMapCarrier(t *testing.T) {
	t.Parallel()
	c := tracegen.TextMapCarrier{}
	c.Set("Key", "v1")
	c.Set("Key", "v2")
	c.Set("other", "x")
	if diff := deep.Diff(map[string]string{"Key": "v2", "other": "x"}, collect(t, c)); diff != "" {
		t.Errorf("carrier (-want +got):\n%s", diff)
	}
}

func TestHTTPHeadersCarrier(t *testing.T) {
	t.Parallel()
	h := http.Header{}
	c := tracegen.HTTPHeadersCarrier(h)
	c.Set("x-trace-id", "1")
	c.Set("X-TRACE-ID", "2")
	h["Empty"] = nil
	h.Add("Multi", "first")
	h.Add("Multi", "second")
	if got := h.Get("X-Trace-Id"); got != "2" {
		t.Errorf("header after two Sets = %q, want 2", got)
	}
	if diff := deep.Diff(map[string]string{"X-Trace-Id": "2", "Multi": "first"}, collect(t, c)); diff != "" {
		t.Errorf("carrier (-want +got):\n%s", diff)
	}
}

func TestForeachKeyStopsAtTheFirstError(t *testing.T) {
	t.Parallel()
	errStop := errors.New("stop")
	for name, r := range map[string]tracegen.TextMapReader{
		"text map": tracegen.TextMapCarrier{"a": "1", "b": "2"},
		"headers":  tracegen.HTTPHeadersCarrier{"A": {"1"}, "B": {"2"}},
	} {
		calls := 0
		err := r.ForeachKey(func(k, v string) error { calls++; return errStop })
		if err != errStop || calls != 1 {
			t.Errorf("%s: ForeachKey = %v after %d calls, want stop after 1", name, err, calls)
		}
	}
}

func TestCarrierAdapters(t *testing.T) {
	t.Parallel()
	m := map[string]string{}
	h := http.Header{}
	tm := tracegen.TextMapCarrier{}
	hc := tracegen.HTTPHeadersCarrier{}
	tests := []struct {
		name    string
		carrier any
		ok      bool
		check   func(t *testing.T)
	}{
		{"map", m, true, func(t *testing.T) {
			if m["k"] != "v" {
				t.Errorf("map = %v", m)
			}
		}},
		{"http.Header", h, true, func(t *testing.T) {
			if h.Get("K") != "v" {
				t.Errorf("header = %v", h)
			}
		}},
		{"TextMapCarrier", tm, true, func(t *testing.T) {
			if tm["k"] != "v" {
				t.Errorf("carrier = %v", tm)
			}
		}},
		{"HTTPHeadersCarrier", hc, true, func(t *testing.T) {
			if http.Header(hc).Get("k") != "v" {
				t.Errorf("carrier = %v", hc)
			}
		}},
		{"string", "nope", false, nil},
		{"nil", nil, false, nil},
		{"map of ints", map[string]int{}, false, nil},
	}
	for _, tt := range tests {
		w, ok := fastpath.TextMapWriterOf(tt.carrier)
		r, rok := fastpath.TextMapReaderOf(tt.carrier)
		if ok != tt.ok || rok != tt.ok {
			t.Errorf("%s: writer ok %v reader ok %v, want %v", tt.name, ok, rok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		w.Set("k", "v")
		tt.check(t)
		if got := collect(t, r); len(got) != 1 {
			t.Errorf("%s: reader sees %v, want one key", tt.name, got)
		}
	}
}

func TestBuiltinFormatString(t *testing.T) {
	t.Parallel()
	for f, want := range map[tracegen.BuiltinFormat]string{
		tracegen.Binary: "Binary", tracegen.TextMap: "TextMap", tracegen.HTTPHeaders: "HTTPHeaders", 9: "BuiltinFormat(?)",
	} {
		if got := f.String(); got != want {
			t.Errorf("BuiltinFormat(%d).String() = %q, want %q", f, got, want)
		}
	}
}

func TestSentinelErrorsAreDistinct(t *testing.T) {
	t.Parallel()
	errs := []error{
		tracegen.ErrUnsupportedFormat, tracegen.ErrSpanContextNotFound, tracegen.ErrInvalidSpanContext,
		tracegen.ErrInvalidCarrier, tracegen.ErrSpanContextCorrupted,
	}
	for i, a := range errs {
		for j, b := range errs {
			if (i == j) != errors.Is(a, b) {
				t.Errorf("errors.Is(%v, %v) = %v", a, b, errors.Is(a, b))
			}
		}
	}
}
