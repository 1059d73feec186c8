package log_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/tracegen/tracegen/runtime/internal/deep"

	"github.com/tracegen/tracegen/runtime/log"
)

// emitted is one Emit call seen by recorder.
type emitted struct {
	Method string
	Key    string
	Value  any
}

// recorder is a log.Encoder that remembers its calls.
type recorder struct{ calls []emitted }

func (r *recorder) add(m, k string, v any)           { r.calls = append(r.calls, emitted{m, k, v}) }
func (r *recorder) EmitString(k, v string)           { r.add("String", k, v) }
func (r *recorder) EmitBool(k string, v bool)        { r.add("Bool", k, v) }
func (r *recorder) EmitInt(k string, v int)          { r.add("Int", k, v) }
func (r *recorder) EmitInt32(k string, v int32)      { r.add("Int32", k, v) }
func (r *recorder) EmitInt64(k string, v int64)      { r.add("Int64", k, v) }
func (r *recorder) EmitUint32(k string, v uint32)    { r.add("Uint32", k, v) }
func (r *recorder) EmitUint64(k string, v uint64)    { r.add("Uint64", k, v) }
func (r *recorder) EmitFloat32(k string, v float32)  { r.add("Float32", k, v) }
func (r *recorder) EmitFloat64(k string, v float64)  { r.add("Float64", k, v) }
func (r *recorder) EmitObject(k string, v any)       { r.add("Object", k, v) }
func (r *recorder) EmitLazyLogger(ll log.LazyLogger) { ll(r) }

func TestFieldsKeepTheirTypes(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	type obj struct{ N int }
	tests := []struct {
		field    log.Field
		typ      log.FieldType
		value    any
		emit     emitted
		asString string
	}{
		{log.String("s", "v"), log.StringType, "v", emitted{"String", "s", "v"}, "s:v"},
		{log.Bool("b", true), log.BoolType, true, emitted{"Bool", "b", true}, "b:true"},
		{log.Bool("b", false), log.BoolType, false, emitted{"Bool", "b", false}, "b:false"},
		{log.Int("i", -7), log.IntType, -7, emitted{"Int", "i", -7}, "i:-7"},
		{log.Int32("i32", math.MinInt32), log.Int32Type, int32(math.MinInt32), emitted{"Int32", "i32", int32(math.MinInt32)}, "i32:-2147483648"},
		{log.Int64("i64", math.MaxInt64), log.Int64Type, int64(math.MaxInt64), emitted{"Int64", "i64", int64(math.MaxInt64)}, "i64:9223372036854775807"},
		{log.Uint32("u32", math.MaxUint32), log.Uint32Type, uint32(math.MaxUint32), emitted{"Uint32", "u32", uint32(math.MaxUint32)}, "u32:4294967295"},
		{log.Uint64("u64", math.MaxUint64), log.Uint64Type, uint64(math.MaxUint64), emitted{"Uint64", "u64", uint64(math.MaxUint64)}, "u64:18446744073709551615"},
		{log.Float32("f32", -1.25), log.Float32Type, float32(-1.25), emitted{"Float32", "f32", float32(-1.25)}, "f32:-1.25"},
		{log.Float64("f64", math.Pi), log.Float64Type, math.Pi, emitted{"Float64", "f64", math.Pi}, "f64:3.141592653589793"},
		{log.Error(errBoom), log.ErrorType, errBoom, emitted{"String", "error.object", "boom"}, "error.object:boom"},
		{log.Error(nil), log.ErrorType, nil, emitted{"String", "error.object", "<nil>"}, "error.object:<nil>"},
		{log.Object("o", obj{3}), log.ObjectType, obj{3}, emitted{"Object", "o", obj{3}}, "o:{3}"},
	}
	for _, tt := range tests {
		t.Run(tt.asString, func(t *testing.T) {
			t.Parallel()
			f := tt.field
			if f.Type() != tt.typ || f.Key() != tt.emit.Key {
				t.Errorf("Type, Key = %v, %q, want %v, %q", f.Type(), f.Key(), tt.typ, tt.emit.Key)
			}
			if got := f.Value(); got != tt.value {
				t.Errorf("Value = %#v (%T), want %#v (%T)", got, got, tt.value, tt.value)
			}
			var r recorder
			f.Marshal(&r)
			if diff := deep.Diff([]emitted{tt.emit}, r.calls, deep.EquateErrors()); diff != "" {
				t.Errorf("Marshal (-want +got):\n%s", diff)
			}
			if got := f.String(); got != tt.asString {
				t.Errorf("String = %q, want %q", got, tt.asString)
			}
		})
	}
}

func TestLazyAndNoopFields(t *testing.T) {
	t.Parallel()
	var r recorder
	log.Lazy(func(e log.Encoder) {
		e.EmitString("a", "1")
		e.EmitInt("b", 2)
	}).Marshal(&r)
	log.Noop().Marshal(&r)
	want := []emitted{{"String", "a", "1"}, {"Int", "b", 2}}
	if diff := deep.Diff(want, r.calls); diff != "" {
		t.Errorf("emitted (-want +got):\n%s", diff)
	}
	if got := log.Noop().Value(); got != nil {
		t.Errorf("Noop().Value() = %#v, want nil", got)
	}
	if got := log.Noop().Type(); got != log.NoopType {
		t.Errorf("Noop().Type() = %v", got)
	}
	if got := log.Lazy(nil).Type(); got != log.LazyLoggerType {
		t.Errorf("Lazy().Type() = %v", got)
	}
}

func TestInterleavedKVToFields(t *testing.T) {
	t.Parallel()
	errBoom := errors.New("boom")
	type obj struct{ N int }
	tests := []struct {
		name    string
		kv      []any
		want    []any // alternating keys and values of the fields
		wantErr string
	}{
		{name: "empty", kv: nil, want: []any{}},
		{
			name: "typed",
			kv: []any{"s", "v", "b", true, "i", 1, "i32", int32(2), "i64", int64(3), "u32", uint32(4),
				"u64", uint64(5), "f32", float32(1.5), "f64", 2.5, "err", errBoom, "obj", obj{1}, "nil", nil},
			want: []any{"s", "v", "b", true, "i", 1, "i32", int32(2), "i64", int64(3), "u32", uint32(4),
				"u64", uint64(5), "f32", float32(1.5), "f64", 2.5, "err", errBoom, "obj", obj{1}, "nil", nil},
		},
		{name: "odd", kv: []any{"a", 1, "b"}, wantErr: "non-even keyValues len: 3"},
		{name: "non-string key", kv: []any{"a", 1, 2, "x", "c", 3}, want: []any{"a", 1}, wantErr: "non-string key (pair #1): int"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fields, err := log.InterleavedKVToFields(tt.kv...)
			if gotErr := fmt.Sprint(err); (err != nil || tt.wantErr != "") && gotErr != tt.wantErr {
				t.Errorf("error = %v, want %q", err, tt.wantErr)
			}
			got := []any{}
			for _, f := range fields {
				got = append(got, f.Key(), f.Value())
			}
			want := tt.want
			if want == nil {
				want = []any{}
			}
			if diff := deep.Diff(want, got, deep.EquateErrors()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
	fields, _ := log.InterleavedKVToFields("err", errBoom)
	if fields[0].Type() != log.ErrorType {
		t.Errorf("an error value became a %v field, want ErrorType", fields[0].Type())
	}
}
