package zipkin

import (
	"bytes"
	"encoding/json"

	"github.com/tracegen/tracegen/runtime/exporter/internal/spanfmt"
	"github.com/tracegen/tracegen/runtime/log"
)

// annotationValue is the event field's value when it is the only field, else
// the fields as a compact JSON object in their order.
func annotationValue(fields []log.Field) string {
	live := 0
	var event string
	for _, f := range fields {
		if f.Type() == log.NoopType {
			continue
		}
		live++
		if f.Key() == "event" {
			event = spanfmt.String(f)
		}
	}
	if live == 1 && event != "" {
		return event
	}
	var b bytes.Buffer
	b.WriteByte('{')
	n := 0
	for _, f := range fields {
		if f.Type() == log.NoopType {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(f.Key())
		v, _ := json.Marshal(spanfmt.String(f))
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}
