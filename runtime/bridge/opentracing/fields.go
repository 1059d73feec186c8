package opentracing

import (
	otlog "github.com/opentracing/opentracing-go/log"

	"github.com/tracegen/tracegen/runtime/log"
)

// fieldsFromOT converts opentracing-go log fields to ours, keeping each
// value's type. Lazy fields are expanded at once; no-op fields are dropped.
func fieldsFromOT(in []otlog.Field) []log.Field {
	out := make([]log.Field, 0, len(in))
	enc := otEncoder{out: &out}
	for _, f := range in {
		// Marshal hands an error over as its message; keep the error.
		if err, ok := f.Value().(error); ok && f.Key() == "error.object" {
			out = append(out, log.Error(err))
			continue
		}
		f.Marshal(&enc)
	}
	return out
}

// otEncoder receives opentracing-go fields through their Marshal method and
// appends the equivalent fields of ours.
type otEncoder struct{ out *[]log.Field }

func (e *otEncoder) add(f log.Field) { *e.out = append(*e.out, f) }

func (e *otEncoder) EmitString(key, value string)          { e.add(log.String(key, value)) }
func (e *otEncoder) EmitBool(key string, value bool)       { e.add(log.Bool(key, value)) }
func (e *otEncoder) EmitInt(key string, value int)         { e.add(log.Int(key, value)) }
func (e *otEncoder) EmitInt32(key string, value int32)     { e.add(log.Int32(key, value)) }
func (e *otEncoder) EmitInt64(key string, value int64)     { e.add(log.Int64(key, value)) }
func (e *otEncoder) EmitUint32(key string, value uint32)   { e.add(log.Uint32(key, value)) }
func (e *otEncoder) EmitUint64(key string, value uint64)   { e.add(log.Uint64(key, value)) }
func (e *otEncoder) EmitFloat32(key string, value float32) { e.add(log.Float32(key, value)) }
func (e *otEncoder) EmitFloat64(key string, value float64) { e.add(log.Float64(key, value)) }
func (e *otEncoder) EmitObject(key string, value any)      { e.add(log.Object(key, value)) }
func (e *otEncoder) EmitLazyLogger(value otlog.LazyLogger) { value(e) }

// fieldsToOT converts our log fields to opentracing-go's, keeping each
// value's type. Lazy fields are expanded at once; no-op fields are dropped.
func fieldsToOT(in []log.Field) []otlog.Field {
	out := make([]otlog.Field, 0, len(in))
	enc := ourEncoder{out: &out}
	for _, f := range in {
		switch {
		case f.Type() == log.ErrorType:
			err, _ := f.Value().(error)
			out = append(out, otlog.Error(err))
			continue
		case f.Type() == log.ObjectType && f.Value() == nil:
			// Some tracers (opentracing-go's mocktracer) panic on a nil
			// object; log it as fmt prints it.
			out = append(out, otlog.String(f.Key(), "<nil>"))
			continue
		}
		f.Marshal(&enc)
	}
	return out
}

// ourEncoder receives our fields through their Marshal method and appends
// the equivalent opentracing-go fields.
type ourEncoder struct{ out *[]otlog.Field }

func (e *ourEncoder) add(f otlog.Field) { *e.out = append(*e.out, f) }

func (e *ourEncoder) EmitString(key, value string)          { e.add(otlog.String(key, value)) }
func (e *ourEncoder) EmitBool(key string, value bool)       { e.add(otlog.Bool(key, value)) }
func (e *ourEncoder) EmitInt(key string, value int)         { e.add(otlog.Int(key, value)) }
func (e *ourEncoder) EmitInt32(key string, value int32)     { e.add(otlog.Int32(key, value)) }
func (e *ourEncoder) EmitInt64(key string, value int64)     { e.add(otlog.Int64(key, value)) }
func (e *ourEncoder) EmitUint32(key string, value uint32)   { e.add(otlog.Uint32(key, value)) }
func (e *ourEncoder) EmitUint64(key string, value uint64)   { e.add(otlog.Uint64(key, value)) }
func (e *ourEncoder) EmitFloat32(key string, value float32) { e.add(otlog.Float32(key, value)) }
func (e *ourEncoder) EmitFloat64(key string, value float64) { e.add(otlog.Float64(key, value)) }
func (e *ourEncoder) EmitObject(key string, value any)      { e.add(otlog.Object(key, value)) }
func (e *ourEncoder) EmitLazyLogger(value log.LazyLogger)   { value(e) }
