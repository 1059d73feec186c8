package spanfmt

import (
	"errors"
	"math"
	"testing"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
)

func TestString(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		f    log.Field
		want string
	}{
		{log.String("k", "v"), "v"},
		{log.Bool("k", true), "true"},
		{log.Int("k", -1), "-1"},
		{log.Int32("k", 7), "7"},
		{log.Int64("k", 1<<40), "1099511627776"},
		{log.Uint32("k", 9), "9"},
		{log.Uint64("k", math.MaxUint64), "18446744073709551615"},
		{log.Float32("k", 0.1), "0.1"},
		{log.Float64("k", 2.5), "2.5"},
		{log.Error(errors.New("boom")), "boom"},
		{log.Error(nil), "<nil>"},
		{log.Object("k", []string{"a"}), "[a]"},
		{log.Noop(), ""},
	} {
		if got := String(tc.f); got != tc.want {
			t.Errorf("String(%v) = %q, want %q", tc.f, got, tc.want)
		}
	}
}

func TestErrorMessage(t *testing.T) {
	t.Parallel()
	logs := func(fs ...[]log.Field) []runtime.LogRecord {
		var out []runtime.LogRecord
		for _, f := range fs {
			out = append(out, runtime.LogRecord{Fields: f})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		s    tracer.SpanData
		want string
	}{
		{"none", tracer.SpanData{}, ""},
		{"error object", tracer.SpanData{Logs: logs([]log.Field{log.String("event", "error"), log.Error(errors.New("boom"))})}, "boom"},
		{"message", tracer.SpanData{Logs: logs([]log.Field{log.String("event", "error"), log.String("message", "bad")})}, "bad"},
		{"last error log wins", tracer.SpanData{Logs: logs(
			[]log.Field{log.String("event", "error"), log.String("message", "first")},
			[]log.Field{log.String("event", "error"), log.String("message", "second")},
		)}, "second"},
		{"plain log message ignored", tracer.SpanData{Logs: logs([]log.Field{log.String("message", "hello")})}, ""},
		{"error.object without event", tracer.SpanData{Logs: logs([]log.Field{log.Error(errors.New("x"))})}, "x"},
		{"tag", tracer.SpanData{Tags: []log.Field{log.String("error.message", "from tag")}}, "from tag"},
	} {
		if got := ErrorMessage(&tc.s); got != tc.want {
			t.Errorf("%s: ErrorMessage = %q, want %q", tc.name, got, tc.want)
		}
	}
}
