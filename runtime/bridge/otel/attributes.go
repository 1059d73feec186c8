package otel

import (
	"fmt"
	"math"
	"reflect"
	"strconv"

	"go.opentelemetry.io/otel/attribute"

	"github.com/tracegen/tracegen/runtime/log"
)

// attributeOf converts a tag or log value to an attribute, keeping the
// four scalar types OpenTelemetry has (string, bool, int64, float64) and
// their slices. Other integers become int64 (a uint64 above the int64
// range a decimal string), errors and Stringers their text, anything else
// fmt's %v.
func attributeOf(key string, v any) attribute.KeyValue {
	switch x := v.(type) {
	case string:
		return attribute.String(key, x)
	case bool:
		return attribute.Bool(key, x)
	case int:
		return attribute.Int(key, x)
	case int8:
		return attribute.Int64(key, int64(x))
	case int16:
		return attribute.Int64(key, int64(x))
	case int32:
		return attribute.Int64(key, int64(x))
	case int64:
		return attribute.Int64(key, x)
	case uint8:
		return attribute.Int64(key, int64(x))
	case uint16:
		return attribute.Int64(key, int64(x))
	case uint32:
		return attribute.Int64(key, int64(x))
	case uint:
		return uintAttribute(key, uint64(x))
	case uint64:
		return uintAttribute(key, x)
	case float32:
		return attribute.Float64(key, float64(x))
	case float64:
		return attribute.Float64(key, x)
	case []string:
		return attribute.StringSlice(key, x)
	case []bool:
		return attribute.BoolSlice(key, x)
	case []int:
		return attribute.IntSlice(key, x)
	case []int64:
		return attribute.Int64Slice(key, x)
	case []float64:
		return attribute.Float64Slice(key, x)
	case error:
		return attribute.String(key, x.Error())
	case fmt.Stringer:
		if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return attribute.String(key, "<nil>")
		}
		return attribute.String(key, x.String())
	case nil:
		return attribute.String(key, "<nil>")
	}
	return attribute.String(key, fmt.Sprint(v))
}

func uintAttribute(key string, v uint64) attribute.KeyValue {
	if v > math.MaxInt64 {
		return attribute.String(key, strconv.FormatUint(v, 10))
	}
	return attribute.Int64(key, int64(v))
}

// fieldAttribute converts a typed field without boxing its value. Lazy and
// no-op fields are handled by the caller.
func fieldAttribute(f log.Field) attribute.KeyValue {
	var kv attribute.KeyValue
	f.Marshal(attrEncoder{out: func(a attribute.KeyValue) { kv = a }})
	return kv
}

// attrEncoder turns fields into attributes through Field.Marshal, which
// also expands lazy fields.
type attrEncoder struct{ out func(attribute.KeyValue) }

func (e attrEncoder) EmitString(key, value string)        { e.out(attribute.String(key, value)) }
func (e attrEncoder) EmitBool(key string, value bool)     { e.out(attribute.Bool(key, value)) }
func (e attrEncoder) EmitInt(key string, value int)       { e.out(attribute.Int(key, value)) }
func (e attrEncoder) EmitInt32(key string, value int32)   { e.out(attribute.Int64(key, int64(value))) }
func (e attrEncoder) EmitInt64(key string, value int64)   { e.out(attribute.Int64(key, value)) }
func (e attrEncoder) EmitUint32(key string, value uint32) { e.out(attribute.Int64(key, int64(value))) }
func (e attrEncoder) EmitUint64(key string, value uint64) { e.out(uintAttribute(key, value)) }
func (e attrEncoder) EmitFloat32(key string, value float32) {
	e.out(attribute.Float64(key, float64(value)))
}
func (e attrEncoder) EmitFloat64(key string, value float64) { e.out(attribute.Float64(key, value)) }
func (e attrEncoder) EmitObject(key string, value any)      { e.out(attributeOf(key, value)) }
func (e attrEncoder) EmitLazyLogger(value log.LazyLogger)   { value(e) }

// The OpenTelemetry semantic-convention keys of an exception event.
const (
	exceptionEvent      = "exception"
	exceptionType       = "exception.type"
	exceptionMessage    = "exception.message"
	exceptionStacktrace = "exception.stacktrace"
)

// event is a log converted to an OpenTelemetry span event.
type event struct {
	name  string
	attrs []attribute.KeyValue
	// isError is set for a log with event=error; message is then the
	// error's message, for the span status.
	isError bool
	message string
}

// eventOf converts a log's fields to an event. The event field's value
// names the event ("log" without one). A log with event=error (what
// tracegen.RecordError and Scope.End write) becomes an OpenTelemetry
// exception event, as span.RecordError would write it: message,
// error.kind, stack and error.object become exception.message,
// exception.type and exception.stacktrace; other fields are kept.
func eventOf(fields []log.Field) event {
	ev := event{name: "log", attrs: make([]attribute.KeyValue, 0, len(fields))}
	var kind, stack string
	var errObj error
	hasErrObj := false
	for _, f := range fields {
		switch f.Type() {
		case log.NoopType:
			continue
		case log.LazyLoggerType:
			f.Marshal(attrEncoder{out: func(a attribute.KeyValue) { ev.attrs = append(ev.attrs, a) }})
			continue
		case log.ErrorType:
			errObj, _ = f.Value().(error)
			hasErrObj = true
			continue
		case log.StringType:
			switch f.Key() {
			case "event":
				ev.name = f.Value().(string)
				continue
			case "message":
				ev.message = f.Value().(string)
			case "error.kind":
				kind = f.Value().(string)
			case "stack":
				stack = f.Value().(string)
			}
		}
		ev.attrs = append(ev.attrs, fieldAttribute(f))
	}
	if hasErrObj && ev.name != "error" {
		ev.attrs = append(ev.attrs, attributeOf("error.object", errText(errObj)))
	}
	if ev.name != "error" {
		return ev
	}
	ev.isError = true
	ev.name = exceptionEvent
	if ev.message == "" && errObj != nil {
		ev.message = errObj.Error()
	}
	if kind == "" && errObj != nil {
		kind = reflect.TypeOf(errObj).String()
	}
	kept := ev.attrs[:0]
	for _, a := range ev.attrs {
		switch a.Key {
		case "message", "error.kind", "stack":
			continue
		}
		kept = append(kept, a)
	}
	ev.attrs = append(kept,
		attribute.String(exceptionType, kind),
		attribute.String(exceptionMessage, ev.message))
	if stack != "" {
		ev.attrs = append(ev.attrs, attribute.String(exceptionStacktrace, stack))
	}
	return ev
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}
