// Package log holds the typed key/value fields recorded in span logs.
//
// A Field keeps its value in a typed slot, so logging strings, integers,
// floats and booleans does not box them into interfaces. Tracers read fields
// through the Encoder interface or Field.Value.
package log

import (
	"fmt"
	"math"
)

// FieldType tells which slot of a Field holds the value.
type FieldType uint8

// The kinds of value a Field can hold.
const (
	StringType FieldType = iota
	BoolType
	IntType
	Int32Type
	Int64Type
	Uint32Type
	Uint64Type
	Float32Type
	Float64Type
	ErrorType
	ObjectType
	LazyLoggerType
	NoopType
)

// Field is one key/value pair of a log record or a typed tag.
// The zero Field is a string field with an empty key and value.
type Field struct {
	key        string
	fieldType  FieldType
	numericVal int64
	stringVal  string
	anyVal     any
}

// String returns a field holding a string.
func String(key, val string) Field {
	return Field{key: key, fieldType: StringType, stringVal: val}
}

// Bool returns a field holding a bool.
func Bool(key string, val bool) Field {
	var n int64
	if val {
		n = 1
	}
	return Field{key: key, fieldType: BoolType, numericVal: n}
}

// Int returns a field holding an int.
func Int(key string, val int) Field {
	return Field{key: key, fieldType: IntType, numericVal: int64(val)}
}

// Int32 returns a field holding an int32.
func Int32(key string, val int32) Field {
	return Field{key: key, fieldType: Int32Type, numericVal: int64(val)}
}

// Int64 returns a field holding an int64.
func Int64(key string, val int64) Field {
	return Field{key: key, fieldType: Int64Type, numericVal: val}
}

// Uint32 returns a field holding a uint32.
func Uint32(key string, val uint32) Field {
	return Field{key: key, fieldType: Uint32Type, numericVal: int64(val)}
}

// Uint64 returns a field holding a uint64.
func Uint64(key string, val uint64) Field {
	return Field{key: key, fieldType: Uint64Type, numericVal: int64(val)}
}

// Float32 returns a field holding a float32.
func Float32(key string, val float32) Field {
	return Field{key: key, fieldType: Float32Type, numericVal: int64(math.Float32bits(val))}
}

// Float64 returns a field holding a float64.
func Float64(key string, val float64) Field {
	return Field{key: key, fieldType: Float64Type, numericVal: int64(math.Float64bits(val))}
}

// Error returns a field with key "error.object" holding err. A nil err is recorded
// as the string "<nil>" when encoded.
func Error(err error) Field {
	return Field{key: "error.object", fieldType: ErrorType, anyVal: err}
}

// Object returns a field holding any value; encoders format it with fmt.
func Object(key string, obj any) Field {
	return Field{key: key, fieldType: ObjectType, anyVal: obj}
}

// Noop returns a field that encoders skip. It lets callers build field lists
// conditionally without allocating.
func Noop() Field {
	return Field{fieldType: NoopType}
}

// LazyLogger is called with an Encoder when the field is encoded, so expensive
// values are computed only when a span is really recorded.
type LazyLogger func(fv Encoder)

// Lazy returns a field whose value is produced by ll at encoding time.
func Lazy(ll LazyLogger) Field {
	return Field{fieldType: LazyLoggerType, anyVal: ll}
}

// Encoder receives the typed value of a Field.
type Encoder interface {
	EmitString(key, value string)
	EmitBool(key string, value bool)
	EmitInt(key string, value int)
	EmitInt32(key string, value int32)
	EmitInt64(key string, value int64)
	EmitUint32(key string, value uint32)
	EmitUint64(key string, value uint64)
	EmitFloat32(key string, value float32)
	EmitFloat64(key string, value float64)
	EmitObject(key string, value any)
	EmitLazyLogger(value LazyLogger)
}

// Key returns the field's key.
func (f Field) Key() string { return f.key }

// Type returns the kind of value the field holds.
func (f Field) Type() FieldType { return f.fieldType }

// Marshal passes the field's typed value to enc.
func (f Field) Marshal(enc Encoder) {
	switch f.fieldType {
	case StringType:
		enc.EmitString(f.key, f.stringVal)
	case BoolType:
		enc.EmitBool(f.key, f.numericVal != 0)
	case IntType:
		enc.EmitInt(f.key, int(f.numericVal))
	case Int32Type:
		enc.EmitInt32(f.key, int32(f.numericVal))
	case Int64Type:
		enc.EmitInt64(f.key, f.numericVal)
	case Uint32Type:
		enc.EmitUint32(f.key, uint32(f.numericVal))
	case Uint64Type:
		enc.EmitUint64(f.key, uint64(f.numericVal))
	case Float32Type:
		enc.EmitFloat32(f.key, math.Float32frombits(uint32(f.numericVal)))
	case Float64Type:
		enc.EmitFloat64(f.key, math.Float64frombits(uint64(f.numericVal)))
	case ErrorType:
		enc.EmitString(f.key, f.errorString())
	case ObjectType:
		enc.EmitObject(f.key, f.anyVal)
	case LazyLoggerType:
		enc.EmitLazyLogger(f.anyVal.(LazyLogger))
	case NoopType:
	}
}

func (f Field) errorString() string {
	if err, ok := f.anyVal.(error); ok && err != nil {
		return err.Error()
	}
	return "<nil>"
}

// Value returns the field's value as the Go type it was created with
// (string, bool, int, int32, int64, uint32, uint64, float32, float64, error,
// the object, or the LazyLogger). Noop fields return nil.
func (f Field) Value() any {
	switch f.fieldType {
	case StringType:
		return f.stringVal
	case BoolType:
		return f.numericVal != 0
	case IntType:
		return int(f.numericVal)
	case Int32Type:
		return int32(f.numericVal)
	case Int64Type:
		return f.numericVal
	case Uint32Type:
		return uint32(f.numericVal)
	case Uint64Type:
		return uint64(f.numericVal)
	case Float32Type:
		return math.Float32frombits(uint32(f.numericVal))
	case Float64Type:
		return math.Float64frombits(uint64(f.numericVal))
	case ErrorType, ObjectType, LazyLoggerType:
		return f.anyVal
	}
	return nil
}

// String formats the field as key:value.
func (f Field) String() string {
	if f.fieldType == ErrorType {
		return f.key + ":" + f.errorString()
	}
	return fmt.Sprint(f.key, ":", f.Value())
}

// InterleavedKVToFields turns alternating keys and values into fields.
// Keys must be strings; values of the types Field supports keep their type,
// and any other value becomes an Object field. An odd number of arguments or a
// non-string key returns an error and the fields converted so far.
func InterleavedKVToFields(keyValues ...any) ([]Field, error) {
	if len(keyValues)%2 != 0 {
		return nil, fmt.Errorf("non-even keyValues len: %d", len(keyValues))
	}
	fields := make([]Field, len(keyValues)/2)
	for i := 0; i*2 < len(keyValues); i++ {
		key, ok := keyValues[i*2].(string)
		if !ok {
			return fields[:i], fmt.Errorf("non-string key (pair #%d): %T", i, keyValues[i*2])
		}
		fields[i] = valueField(key, keyValues[i*2+1])
	}
	return fields, nil
}

func valueField(key string, v any) Field {
	switch v := v.(type) {
	case string:
		return String(key, v)
	case bool:
		return Bool(key, v)
	case int:
		return Int(key, v)
	case int32:
		return Int32(key, v)
	case int64:
		return Int64(key, v)
	case uint32:
		return Uint32(key, v)
	case uint64:
		return Uint64(key, v)
	case float32:
		return Float32(key, v)
	case float64:
		return Float64(key, v)
	case error:
		return Field{key: key, fieldType: ErrorType, anyVal: v}
	}
	return Object(key, v)
}
