package mocktracer

import (
	"encoding/binary"
	"errors"
	"github.com/tracegen/tracegen/runtime/fastpath"
	"io"
	"net/url"
	"strconv"
	"strings"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// The keys of the TextMap and HTTPHeaders formats. Baggage items use
// BaggagePrefix followed by the item's key. Extract matches these keys and
// the prefix without regard to case, so a TextMap written into an
// http.Header still reads back. In the HTTPHeaders format baggage values are
// URL-escaped and baggage keys come back in lower case; in TextMap both are
// kept as they are.
const (
	TraceIDKey    = "mockpfx-ids-traceid"
	SpanIDKey     = "mockpfx-ids-spanid"
	BaggagePrefix = "mockpfx-baggage-"
)

// binaryMagic starts the Binary encoding: a version byte, then the trace id,
// span id and baggage count as uvarints, then each key and value as a
// uvarint length and bytes.
const binaryMagic = 0x6d

// Limits that keep a corrupted Binary carrier from allocating much.
const (
	maxBinaryItems = 1 << 12
	maxBinaryLen   = 1 << 16
)

// Inject writes sc into carrier. TextMap and HTTPHeaders take any carrier
// fastpath.TextMapWriterOf accepts (a TextMapWriter, map[string]string or
// http.Header); Binary takes an io.Writer.
//
// Errors: ErrUnsupportedFormat for other formats, ErrInvalidSpanContext when
// sc is nil, of another tracer, or has zero ids, ErrInvalidCarrier for a
// carrier of the wrong type; a Binary write error is returned as it is.
func (t *Tracer) Inject(sc tracegen.SpanContext, format any, carrier any) error {
	f, ok := format.(tracegen.BuiltinFormat)
	if !ok || f > tracegen.HTTPHeaders {
		return tracegen.ErrUnsupportedFormat
	}
	c, ok := contextOf(sc)
	if !ok || c.TraceID == 0 || c.SpanID == 0 {
		return tracegen.ErrInvalidSpanContext
	}
	if f == tracegen.Binary {
		w, ok := carrier.(io.Writer)
		if !ok {
			return tracegen.ErrInvalidCarrier
		}
		_, err := w.Write(encodeBinary(c))
		return err
	}
	w, ok := fastpath.TextMapWriterOf(carrier)
	if !ok {
		return tracegen.ErrInvalidCarrier
	}
	w.Set(TraceIDKey, strconv.FormatUint(c.TraceID, 10))
	w.Set(SpanIDKey, strconv.FormatUint(c.SpanID, 10))
	for k, v := range c.Baggage {
		if f == tracegen.HTTPHeaders {
			v = url.QueryEscape(v)
		}
		w.Set(BaggagePrefix+k, v)
	}
	return nil
}

// Extract reads a span context from carrier, the counterpart of Inject:
// TextMap and HTTPHeaders take any carrier fastpath.TextMapReaderOf accepts,
// Binary an io.Reader, of which it reads exactly the bytes Inject wrote.
//
// Errors, always with a nil SpanContext: ErrUnsupportedFormat,
// ErrInvalidCarrier, ErrSpanContextNotFound when the carrier holds no ids,
// ErrSpanContextCorrupted when it holds ids or bytes that do not decode.
func (t *Tracer) Extract(format any, carrier any) (tracegen.SpanContext, error) {
	f, ok := format.(tracegen.BuiltinFormat)
	if !ok || f > tracegen.HTTPHeaders {
		return nil, tracegen.ErrUnsupportedFormat
	}
	var (
		c   SpanContext
		err error
	)
	if f == tracegen.Binary {
		r, ok := carrier.(io.Reader)
		if !ok {
			return nil, tracegen.ErrInvalidCarrier
		}
		c, err = decodeBinary(r)
	} else {
		r, ok := fastpath.TextMapReaderOf(carrier)
		if !ok {
			return nil, tracegen.ErrInvalidCarrier
		}
		c, err = decodeTextMap(r, f == tracegen.HTTPHeaders)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

func decodeTextMap(r tracegen.TextMapReader, http bool) (SpanContext, error) {
	var (
		c                 SpanContext
		sawTrace, sawSpan bool
	)
	err := r.ForeachKey(func(key, val string) error {
		switch {
		case strings.EqualFold(key, TraceIDKey):
			sawTrace = true
			return parseID(val, &c.TraceID)
		case strings.EqualFold(key, SpanIDKey):
			sawSpan = true
			return parseID(val, &c.SpanID)
		case len(key) > len(BaggagePrefix) && strings.EqualFold(key[:len(BaggagePrefix)], BaggagePrefix):
			name := key[len(BaggagePrefix):]
			if http {
				name = strings.ToLower(name)
				v, err := url.QueryUnescape(val)
				if err != nil {
					return tracegen.ErrSpanContextCorrupted
				}
				val = v
			}
			if c.Baggage == nil {
				c.Baggage = make(map[string]string)
			}
			c.Baggage[name] = val
		}
		return nil
	})
	switch {
	case err != nil:
		return SpanContext{}, err
	case !sawTrace && !sawSpan:
		return SpanContext{}, tracegen.ErrSpanContextNotFound
	case !sawTrace || !sawSpan:
		return SpanContext{}, tracegen.ErrSpanContextCorrupted
	}
	return c, nil
}

// parseID parses a non-zero decimal id into *id.
func parseID(s string, id *uint64) error {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n == 0 {
		return tracegen.ErrSpanContextCorrupted
	}
	*id = n
	return nil
}

func encodeBinary(c SpanContext) []byte {
	buf := []byte{binaryMagic}
	buf = binary.AppendUvarint(buf, c.TraceID)
	buf = binary.AppendUvarint(buf, c.SpanID)
	buf = binary.AppendUvarint(buf, uint64(len(c.Baggage)))
	for k, v := range c.Baggage {
		buf = binary.AppendUvarint(buf, uint64(len(k)))
		buf = append(buf, k...)
		buf = binary.AppendUvarint(buf, uint64(len(v)))
		buf = append(buf, v...)
	}
	return buf
}

// byteReader reads one byte at a time so that decoding never consumes more
// of the carrier than the encoding holds.
type byteReader struct{ r io.Reader }

func (b byteReader) ReadByte() (byte, error) {
	var p [1]byte
	_, err := io.ReadFull(b.r, p[:])
	return p[0], err
}

func (b byteReader) Read(p []byte) (int, error) { return b.r.Read(p) }

type byteAndReader interface {
	io.Reader
	io.ByteReader
}

func decodeBinary(r io.Reader) (SpanContext, error) {
	br, ok := r.(byteAndReader)
	if !ok {
		br = byteReader{r}
	}
	magic, err := br.ReadByte()
	if errors.Is(err, io.EOF) {
		return SpanContext{}, tracegen.ErrSpanContextNotFound
	}
	if err != nil || magic != binaryMagic {
		return SpanContext{}, tracegen.ErrSpanContextCorrupted
	}
	var c SpanContext
	if c.TraceID, err = binary.ReadUvarint(br); err != nil || c.TraceID == 0 {
		return SpanContext{}, tracegen.ErrSpanContextCorrupted
	}
	if c.SpanID, err = binary.ReadUvarint(br); err != nil || c.SpanID == 0 {
		return SpanContext{}, tracegen.ErrSpanContextCorrupted
	}
	n, err := binary.ReadUvarint(br)
	if err != nil || n > maxBinaryItems {
		return SpanContext{}, tracegen.ErrSpanContextCorrupted
	}
	if n > 0 {
		c.Baggage = make(map[string]string, n)
	}
	for range n {
		k, err1 := readString(br)
		v, err2 := readString(br)
		if err1 != nil || err2 != nil {
			return SpanContext{}, tracegen.ErrSpanContextCorrupted
		}
		c.Baggage[k] = v
	}
	return c, nil
}

func readString(br byteAndReader) (string, error) {
	n, err := binary.ReadUvarint(br)
	if err != nil {
		return "", err
	}
	if n > maxBinaryLen {
		return "", tracegen.ErrSpanContextCorrupted
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(br, p); err != nil {
		return "", err
	}
	return string(p), nil
}
