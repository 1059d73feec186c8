package textmapcodec

import (
	"bytes"
	"errors"
	"testing"

	"github.com/tracegen/tracegen/runtime/internal/deep"

	tracegen "github.com/tracegen/tracegen/runtime"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, m := range []map[string]string{
		{},
		{"traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"},
		{"a": "", "": "b", "uni\u200b": "v\x00w"},
	} {
		var buf bytes.Buffer
		if err := Encode(&buf, m); err != nil {
			t.Fatal(err)
		}
		buf.WriteString("trailing")
		got, err := Decode(&buf)
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if diff := deep.Diff(m, got); diff != "" {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}
		if buf.String() != "trailing" {
			t.Errorf("Decode read past its encoding: left %q", buf.String())
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	var good bytes.Buffer
	if err := Encode(&good, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	enc := good.Bytes()
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"short header", enc[:3], ErrCorrupted},
		{"cut body", enc[:len(enc)-1], ErrCorrupted},
		{"bad magic", append([]byte{'x'}, enc[1:]...), ErrCorrupted},
		{"bad version", append([]byte{'t', 9}, enc[2:]...), ErrCorrupted},
		{"huge size", []byte{'t', 1, 0xff, 0xff, 0xff, 0xff}, ErrCorrupted},
		{"bad lengths", []byte{'t', 1, 0, 0, 0, 2, 5, 'a'}, ErrCorrupted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Decode(bytes.NewReader(tt.in))
			if !errors.Is(err, tt.want) {
				t.Errorf("Decode error = %v, want %v", err, tt.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	var buf bytes.Buffer
	_ = Encode(&buf, map[string]string{"k": "v", "x": "y"})
	f.Add(buf.Bytes())
	f.Add([]byte{'t', 1, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Decode(bytes.NewReader(b))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := Encode(&out, m); err != nil {
			t.Fatal(err)
		}
		again, err := Decode(&out)
		if err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if diff := deep.Diff(m, again); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
}

func TestExtractErrors(t *testing.T) {
	t.Parallel()
	var good bytes.Buffer
	if err := Encode(&good, map[string]string{"k": "v"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, tracegen.ErrSpanContextNotFound},
		{"corrupted", []byte("not a carrier"), tracegen.ErrSpanContextCorrupted},
		{"valid", good.Bytes(), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Extract(bytes.NewReader(tc.in))
			if !errors.Is(err, tc.want) || (tc.want == nil) != (m != nil) {
				t.Errorf("Extract = %v, %v; want error %v", m, err, tc.want)
			}
		})
	}
}
