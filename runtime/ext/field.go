package ext

import (
	"reflect"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/log"
)

// The standard log field names.
var (
	// LogEvent names what happened, such as "error" or "retry".
	LogEvent = StringFieldName("event")
	// LogMessage is a human-readable description of the event.
	LogMessage = StringFieldName("message")
	// LogErrorKind is the type or class of an error, such as
	// "*fs.PathError".
	LogErrorKind = StringFieldName("error.kind")
	// LogErrorObject is the error itself.
	LogErrorObject = ErrorFieldName("error.object")
	// LogStack is a stack trace.
	LogStack = StringFieldName("stack")
)

// StringFieldName is the name of a log field with a string value.
type StringFieldName string

// Field returns the field with value.
func (n StringFieldName) Field(value string) log.Field { return log.String(string(n), value) }

// ErrorFieldName is the name of a log field holding an error.
type ErrorFieldName string

// Field returns the field holding err. Under the standard name error.object
// it is log.Error(err); under another name it is an object field.
func (n ErrorFieldName) Field(err error) log.Field {
	if f := log.Error(err); f.Key() == string(n) {
		return f
	}
	return log.Object(string(n), err)
}

// LogError records err on span as tracegen.RecordError does: the tag
// error=true and one log with event=error, message, error.kind (the error's
// Go type) and error.object, followed by fields. A nil err records nothing.
func LogError(span tracegen.Span, err error, fields ...log.Field) {
	if span == nil || err == nil {
		return
	}
	Error.Set(span, true)
	all := make([]log.Field, 0, 4+len(fields))
	all = append(all,
		LogEvent.Field("error"),
		LogMessage.Field(err.Error()),
		LogErrorKind.Field(reflect.TypeOf(err).String()),
		LogErrorObject.Field(err),
	)
	span.LogFields(append(all, fields...)...)
}
