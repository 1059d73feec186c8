// Package spanfmt holds the small conversions the exporters share: a field's
// value as text, and the message of a span's error.
package spanfmt

import (
	"fmt"
	"strconv"

	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// String formats a field's value as text: strings as they are, numbers and
// booleans as Go formats them, errors by their message, other values with
// fmt.
func String(f log.Field) string {
	switch v := f.Value().(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint32:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case error:
		if v == nil {
			return "<nil>"
		}
		return v.Error()
	case nil:
		if f.Type() == log.ErrorType {
			return "<nil>"
		}
		return ""
	case log.LazyLogger:
		return "<lazy>"
	default:
		return fmt.Sprint(v)
	}
}

// ErrorMessage returns the message of the span's error: the "message" or
// "error.object" field of its last log whose event is "error", else the
// error.message tag; "" when there is none.
func ErrorMessage(s *tracer.SpanData) string {
	for i := len(s.Logs) - 1; i >= 0; i-- {
		var isErr bool
		var msg, obj string
		for _, f := range s.Logs[i].Fields {
			switch f.Key() {
			case "event":
				isErr = String(f) == "error"
			case "message":
				msg = String(f)
			case "error.object":
				obj = String(f)
			}
		}
		if obj != "" && (isErr || msg == "") {
			return obj
		}
		if isErr && msg != "" {
			return msg
		}
	}
	for _, f := range s.Tags {
		if f.Key() == "error.message" {
			return String(f)
		}
	}
	return ""
}

// IsLocalRoot reports whether s has no parent in this process: no parent at
// all, or a parent extracted from a carrier.
func IsLocalRoot(s *tracer.SpanData) bool {
	return !s.Parent.SpanID.IsValid() || s.Parent.Remote
}

// ServiceName returns the resource's service name, or "".
func ServiceName(s *tracer.SpanData) string {
	if s.Resource == nil {
		return ""
	}
	return s.Resource.ServiceName
}
