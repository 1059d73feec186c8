// Package textmapcodec encodes a TextMap carrier's keys and values as bytes,
// so that a bridge whose underlying tracer only speaks text formats can still
// offer the Binary format.
//
// The encoding is a two-byte header ('t', version 1), a big-endian uint32
// length of the body, and the body: for each pair, a uvarint key length, the
// key, a uvarint value length and the value. The length prefix lets Decode
// read exactly the bytes Encode wrote, so a stream may carry more after them.
package textmapcodec

import (
	"encoding/binary"
	"errors"
	"io"
	"sort"

	tracegen "github.com/tracegen/tracegen/runtime"
)

const (
	magic   = 't'
	version = 1

	// MaxBody bounds the body Decode accepts, so a hostile carrier cannot
	// make it allocate much.
	MaxBody = 64 << 10
)

// Errors Decode returns.
var (
	// ErrEmpty: the reader held no bytes at all.
	ErrEmpty = errors.New("textmapcodec: empty carrier")
	// ErrCorrupted: the bytes are not an encoding Encode wrote.
	ErrCorrupted = errors.New("textmapcodec: corrupted carrier")
)

// Encode writes m to w, keys in sorted order so the output is deterministic.
func Encode(w io.Writer, m map[string]string) error {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	body := make([]byte, 0, 64)
	for _, k := range keys {
		body = binary.AppendUvarint(body, uint64(len(k)))
		body = append(body, k...)
		body = binary.AppendUvarint(body, uint64(len(m[k])))
		body = append(body, m[k]...)
	}
	buf := make([]byte, 0, 6+len(body))
	buf = append(buf, magic, version)
	buf = binary.BigEndian.AppendUint32(buf, uint32(len(body)))
	buf = append(buf, body...)
	_, err := w.Write(buf)
	return err
}

// Decode reads one encoding from r. It returns ErrEmpty if r is at its end,
// ErrCorrupted for anything Encode would not have written (including a cut
// short encoding), and other errors of r as they are.
func Decode(r io.Reader) (map[string]string, error) {
	var hdr [6]byte
	n, err := io.ReadFull(r, hdr[:])
	switch {
	case n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF):
		return nil, ErrEmpty
	case err == io.ErrUnexpectedEOF:
		return nil, ErrCorrupted
	case err != nil:
		return nil, err
	}
	if hdr[0] != magic || hdr[1] != version {
		return nil, ErrCorrupted
	}
	size := binary.BigEndian.Uint32(hdr[2:])
	if size > MaxBody {
		return nil, ErrCorrupted
	}
	body := make([]byte, size)
	if _, err := io.ReadFull(r, body); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, ErrCorrupted
		}
		return nil, err
	}
	return decodeBody(body)
}

func decodeBody(body []byte) (map[string]string, error) {
	m := make(map[string]string)
	for len(body) > 0 {
		k, rest, ok := readString(body)
		if !ok {
			return nil, ErrCorrupted
		}
		v, rest, ok := readString(rest)
		if !ok {
			return nil, ErrCorrupted
		}
		m[k] = v
		body = rest
	}
	return m, nil
}

func readString(b []byte) (string, []byte, bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return "", nil, false
	}
	b = b[w:]
	return string(b[:n]), b[n:], true
}

// Extract is Decode for a bridge's Extract: ErrEmpty becomes
// runtime.ErrSpanContextNotFound and ErrCorrupted
// runtime.ErrSpanContextCorrupted; read errors are returned as they are.
func Extract(r io.Reader) (map[string]string, error) {
	m, err := Decode(r)
	switch {
	case errors.Is(err, ErrEmpty):
		return nil, tracegen.ErrSpanContextNotFound
	case errors.Is(err, ErrCorrupted):
		return nil, tracegen.ErrSpanContextCorrupted
	}
	return m, err
}
