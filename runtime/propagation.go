package runtime

import (
	"errors"
	"net/http"
)

// The errors Inject and Extract return. Callers compare with errors.Is.
var (
	// ErrUnsupportedFormat: the tracer does not know the format.
	ErrUnsupportedFormat = errors.New("tracegen: unknown or unsupported Inject/Extract format")

	// ErrSpanContextNotFound: the carrier holds no span context. This is the
	// normal outcome for a request that starts a new trace.
	ErrSpanContextNotFound = errors.New("tracegen: span context not found in Extract carrier")

	// ErrInvalidSpanContext: Inject was given a span context of another
	// tracer, or nil.
	ErrInvalidSpanContext = errors.New("tracegen: span context type incompatible with tracer")

	// ErrInvalidCarrier: the carrier's type does not fit the format.
	ErrInvalidCarrier = errors.New("tracegen: invalid Inject/Extract carrier")

	// ErrSpanContextCorrupted: the carrier holds a span context that cannot
	// be decoded.
	ErrSpanContextCorrupted = errors.New("tracegen: span context corrupted in Extract carrier")
)

// BuiltinFormat names the formats every tracer supports.
type BuiltinFormat byte

const (
	// Binary: the carrier is an io.Writer for Inject and an io.Reader for
	// Extract; the encoding is the tracer's own.
	Binary BuiltinFormat = iota

	// TextMap: the carrier is a TextMapWriter for Inject and a TextMapReader
	// for Extract, such as TextMapCarrier. Keys and values are any strings.
	TextMap

	// HTTPHeaders: like TextMap, but keys are compared without regard to
	// case and values must be valid in HTTP headers. HTTPHeadersCarrier and
	// http.Header are carriers.
	HTTPHeaders
)

// String returns the format's name.
func (f BuiltinFormat) String() string {
	switch f {
	case Binary:
		return "Binary"
	case TextMap:
		return "TextMap"
	case HTTPHeaders:
		return "HTTPHeaders"
	}
	return "BuiltinFormat(?)"
}

func isStandardFormat(format any) bool {
	f, ok := format.(BuiltinFormat)
	return ok && f <= HTTPHeaders
}

// TextMapWriter is the Inject carrier of the TextMap and HTTPHeaders formats.
type TextMapWriter interface {
	// Set stores a key and value. A later Set of the same key replaces it.
	Set(key, val string)
}

// TextMapReader is the Extract carrier of the TextMap and HTTPHeaders formats.
type TextMapReader interface {
	// ForeachKey calls handler for every key and value until handler returns
	// an error, which ForeachKey then returns.
	ForeachKey(handler func(key, val string) error) error
}

// TextMapCarrier is a map used as a TextMap carrier.
type TextMapCarrier map[string]string

// ForeachKey implements TextMapReader.
func (c TextMapCarrier) ForeachKey(handler func(key, val string) error) error {
	for k, v := range c {
		if err := handler(k, v); err != nil {
			return err
		}
	}
	return nil
}

// Set implements TextMapWriter.
func (c TextMapCarrier) Set(key, val string) { c[key] = val }

// HTTPHeadersCarrier is an http.Header used as an HTTPHeaders carrier.
// Tracers also accept a plain http.Header.
type HTTPHeadersCarrier http.Header

// Set implements TextMapWriter; the key is canonicalised as http.Header does.
func (c HTTPHeadersCarrier) Set(key, val string) { http.Header(c).Set(key, val) }

// ForeachKey implements TextMapReader, giving the first value of each key.
func (c HTTPHeadersCarrier) ForeachKey(handler func(key, val string) error) error {
	for k, vals := range c {
		if len(vals) == 0 {
			continue
		}
		if err := handler(k, vals[0]); err != nil {
			return err
		}
	}
	return nil
}
