package otlpgrpc

import (
	"fmt"

	"google.golang.org/grpc/mem"
)

// rawMessage is a protobuf message already encoded.
type rawMessage []byte

// rawCodec sends and receives rawMessages as they are. It is named "proto"
// because the name becomes the content subtype (application/grpc+proto)
// that receivers choose their decoder by, and the bytes are protobuf.
type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }

func (rawCodec) Marshal(v any) (mem.BufferSlice, error) {
	m, ok := v.(rawMessage)
	if !ok {
		return nil, fmt.Errorf("otlpgrpc: cannot send %T", v)
	}
	return mem.BufferSlice{mem.SliceBuffer(m)}, nil
}

func (rawCodec) Unmarshal(data mem.BufferSlice, v any) error {
	m, ok := v.(*rawMessage)
	if !ok {
		return fmt.Errorf("otlpgrpc: cannot receive into %T", v)
	}
	*m = data.Materialize()
	return nil
}
