package mocktracer

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// onlyReader hides every method but Read, so decoding cannot rely on
// io.ByteReader.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

type notACarrier struct{}

type foreignContext struct{}

func (foreignContext) ForeachBaggageItem(func(k, v string) bool) {}

func TestInjectExtractRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		format  tracegen.BuiltinFormat
		carrier func() (inject, extract any)
		baggage map[string]string // what Extract should give back
	}{
		{
			name:   "text map carrier",
			format: tracegen.TextMap,
			carrier: func() (any, any) {
				c := tracegen.TextMapCarrier{}
				return c, c
			},
		},
		{
			name:   "text map plain map",
			format: tracegen.TextMap,
			carrier: func() (any, any) {
				c := map[string]string{}
				return c, c
			},
		},
		{
			name:   "http header",
			format: tracegen.HTTPHeaders,
			carrier: func() (any, any) {
				h := http.Header{}
				return h, h
			},
			baggage: map[string]string{"user": "Amy Wong", "mixed-case": "v\n2"},
		},
		{
			name:   "http headers carrier",
			format: tracegen.HTTPHeaders,
			carrier: func() (any, any) {
				h := tracegen.HTTPHeadersCarrier{}
				return h, h
			},
			baggage: map[string]string{"user": "Amy Wong", "mixed-case": "v\n2"},
		},
		{
			name:   "http headers in a map",
			format: tracegen.HTTPHeaders,
			carrier: func() (any, any) {
				c := map[string]string{}
				return c, c
			},
			baggage: map[string]string{"user": "Amy Wong", "mixed-case": "v\n2"},
		},
		{
			name:   "binary buffer",
			format: tracegen.Binary,
			carrier: func() (any, any) {
				b := new(bytes.Buffer)
				return b, b
			},
		},
		{
			name:   "binary plain reader",
			format: tracegen.Binary,
			carrier: func() (any, any) {
				b := new(bytes.Buffer)
				return b, onlyReader{b}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := New()
			span := tr.StartSpan("op")
			span.SetBaggageItem("user", "Amy Wong").SetBaggageItem("Mixed-Case", "v\n2")
			want := span.Context().(SpanContext)
			if tt.baggage != nil {
				want.Baggage = tt.baggage
			}
			in, out := tt.carrier()
			if err := tr.Inject(span.Context(), tt.format, in); err != nil {
				t.Fatalf("Inject: %v", err)
			}
			got, err := tr.Extract(tt.format, out)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if diff := deep.Diff(tracegen.SpanContext(want), got); diff != "" {
				t.Errorf("extracted (-want +got):\n%s", diff)
			}
			child := tr.StartSpan("child", tracegen.ChildOf(got)).(*Span)
			if child.TraceID() != want.TraceID || child.ParentID() != want.SpanID {
				t.Errorf("child of extracted: trace %d parent %d, want %d %d", child.TraceID(), child.ParentID(), want.TraceID, want.SpanID)
			}
		})
	}
}

func TestHTTPHeaderKeysAreCaseInsensitive(t *testing.T) {
	t.Parallel()
	carrier := map[string]string{
		"MOCKPFX-IDS-TRACEID":    "5",
		"Mockpfx-Ids-Spanid":     "6",
		"MockPfx-Baggage-Colour": "red%20and%20blue",
	}
	got, err := New().Extract(tracegen.HTTPHeaders, carrier)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	want := SpanContext{TraceID: 5, SpanID: 6, Baggage: map[string]string{"colour": "red and blue"}}
	if diff := deep.Diff(tracegen.SpanContext(want), got); diff != "" {
		t.Errorf("extracted (-want +got):\n%s", diff)
	}
	// TextMap matches its keys without case too, but keeps baggage as is.
	got, err = New().Extract(tracegen.TextMap, carrier)
	if err != nil {
		t.Fatalf("TextMap Extract: %v", err)
	}
	want = SpanContext{TraceID: 5, SpanID: 6, Baggage: map[string]string{"Colour": "red%20and%20blue"}}
	if diff := deep.Diff(tracegen.SpanContext(want), got); diff != "" {
		t.Errorf("TextMap extracted (-want +got):\n%s", diff)
	}
}

func TestTextMapThroughHTTPHeader(t *testing.T) {
	t.Parallel()
	tr := New()
	span := tr.StartSpan("op")
	span.SetBaggageItem("k", "v")
	h := http.Header{}
	if err := tr.Inject(span.Context(), tracegen.TextMap, h); err != nil {
		t.Fatal(err)
	}
	got, err := tr.Extract(tracegen.TextMap, h)
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	// http.Header canonicalises the key to K.
	want := span.Context().(SpanContext)
	want.Baggage = map[string]string{"K": "v"}
	if diff := deep.Diff(tracegen.SpanContext(want), got); diff != "" {
		t.Errorf("extracted (-want +got):\n%s", diff)
	}
}

func TestBinaryReadsOnlyItsOwnBytes(t *testing.T) {
	t.Parallel()
	tr := New()
	a, b := tr.StartSpan("a"), tr.StartSpan("b")
	a.SetBaggageItem("k", "v")
	var buf bytes.Buffer
	for _, s := range []tracegen.Span{a, b} {
		if err := tr.Inject(s.Context(), tracegen.Binary, &buf); err != nil {
			t.Fatal(err)
		}
	}
	buf.WriteString("tail")
	r := onlyReader{&buf}
	for _, s := range []tracegen.Span{a, b} {
		got, err := tr.Extract(tracegen.Binary, r)
		if err != nil {
			t.Fatalf("Extract: %v", err)
		}
		if diff := deep.Diff(s.Context(), got); diff != "" {
			t.Errorf("extracted (-want +got):\n%s", diff)
		}
	}
	if rest := buf.String(); rest != "tail" {
		t.Errorf("bytes left in the carrier = %q, want tail", rest)
	}
}

func TestInjectErrors(t *testing.T) {
	t.Parallel()
	tr := New()
	valid := tr.StartSpan("op").Context()
	tests := []struct {
		name    string
		sc      tracegen.SpanContext
		format  any
		carrier any
		want    error
	}{
		{"unknown format", valid, "kiss my shiny metal", map[string]string{}, tracegen.ErrUnsupportedFormat},
		{"unknown builtin", valid, tracegen.BuiltinFormat(9), map[string]string{}, tracegen.ErrUnsupportedFormat},
		{"unknown format beats nil context", nil, "custom", nil, tracegen.ErrUnsupportedFormat},
		{"nil context", nil, tracegen.TextMap, map[string]string{}, tracegen.ErrInvalidSpanContext},
		{"nil pointer context", (*SpanContext)(nil), tracegen.TextMap, map[string]string{}, tracegen.ErrInvalidSpanContext},
		{"zero context", SpanContext{}, tracegen.TextMap, map[string]string{}, tracegen.ErrInvalidSpanContext},
		{"foreign context text", foreignContext{}, tracegen.TextMap, map[string]string{}, tracegen.ErrInvalidSpanContext},
		{"foreign context http", foreignContext{}, tracegen.HTTPHeaders, http.Header{}, tracegen.ErrInvalidSpanContext},
		{"foreign context binary", foreignContext{}, tracegen.Binary, new(bytes.Buffer), tracegen.ErrInvalidSpanContext},
		{"noop context", tracegen.NoopTracer{}.StartSpan("x").Context(), tracegen.TextMap, map[string]string{}, tracegen.ErrInvalidSpanContext},
		{"text carrier", valid, tracegen.TextMap, notACarrier{}, tracegen.ErrInvalidCarrier},
		{"http carrier", valid, tracegen.HTTPHeaders, notACarrier{}, tracegen.ErrInvalidCarrier},
		{"binary carrier", valid, tracegen.Binary, notACarrier{}, tracegen.ErrInvalidCarrier},
		{"nil carrier", valid, tracegen.TextMap, nil, tracegen.ErrInvalidCarrier},
		{"binary reader is no writer", valid, tracegen.Binary, strings.NewReader(""), tracegen.ErrInvalidCarrier},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tr.Inject(tt.sc, tt.format, tt.carrier); err != tt.want {
				t.Errorf("Inject = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		format  any
		carrier any
		want    error
	}{
		{"unknown format", "custom", map[string]string{}, tracegen.ErrUnsupportedFormat},
		{"text carrier", tracegen.TextMap, notACarrier{}, tracegen.ErrInvalidCarrier},
		{"http carrier", tracegen.HTTPHeaders, notACarrier{}, tracegen.ErrInvalidCarrier},
		{"binary carrier", tracegen.Binary, notACarrier{}, tracegen.ErrInvalidCarrier},
		{"nil carrier", tracegen.HTTPHeaders, nil, tracegen.ErrInvalidCarrier},
		{"empty map", tracegen.TextMap, map[string]string{}, tracegen.ErrSpanContextNotFound},
		{"unrelated keys", tracegen.TextMap, map[string]string{"x": "y"}, tracegen.ErrSpanContextNotFound},
		{"empty header", tracegen.HTTPHeaders, http.Header{}, tracegen.ErrSpanContextNotFound},
		{"empty binary", tracegen.Binary, new(bytes.Buffer), tracegen.ErrSpanContextNotFound},
		{"bad trace id", tracegen.TextMap, map[string]string{TraceIDKey: "x", SpanIDKey: "1"}, tracegen.ErrSpanContextCorrupted},
		{"zero span id", tracegen.TextMap, map[string]string{TraceIDKey: "1", SpanIDKey: "0"}, tracegen.ErrSpanContextCorrupted},
		{"missing span id", tracegen.TextMap, map[string]string{TraceIDKey: "1"}, tracegen.ErrSpanContextCorrupted},
		{"missing trace id", tracegen.HTTPHeaders, map[string]string{SpanIDKey: "1"}, tracegen.ErrSpanContextCorrupted},
		{"bad escape", tracegen.HTTPHeaders, map[string]string{TraceIDKey: "1", SpanIDKey: "1", BaggagePrefix + "k": "%zz"}, tracegen.ErrSpanContextCorrupted},
		{"binary bad magic", tracegen.Binary, bytes.NewBufferString("garbage"), tracegen.ErrSpanContextCorrupted},
		{"binary truncated", tracegen.Binary, bytes.NewBuffer([]byte{binaryMagic, 1}), tracegen.ErrSpanContextCorrupted},
		{"binary truncated baggage", tracegen.Binary, bytes.NewBuffer([]byte{binaryMagic, 1, 1, 1, 5, 'a'}), tracegen.ErrSpanContextCorrupted},
		{"binary huge count", tracegen.Binary, bytes.NewBuffer([]byte{binaryMagic, 1, 1, 0xff, 0xff, 0xff, 0x7f}), tracegen.ErrSpanContextCorrupted},
		{"binary huge length", tracegen.Binary, bytes.NewBuffer([]byte{binaryMagic, 1, 1, 1, 0xff, 0xff, 0xff, 0x7f}), tracegen.ErrSpanContextCorrupted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sc, err := New().Extract(tt.format, tt.carrier)
			if err != tt.want {
				t.Errorf("Extract error = %v, want %v", err, tt.want)
			}
			if sc != nil {
				t.Errorf("Extract span context = %#v, want untyped nil", sc)
			}
		})
	}
}

type failingWriter struct{ err error }

func (f failingWriter) Write([]byte) (int, error) { return 0, f.err }

func TestInjectBinaryWriteError(t *testing.T) {
	t.Parallel()
	tr := New()
	errDisk := errors.New("disk full")
	if err := tr.Inject(tr.StartSpan("op").Context(), tracegen.Binary, failingWriter{errDisk}); err != errDisk {
		t.Errorf("Inject = %v, want the writer's error", err)
	}
}
