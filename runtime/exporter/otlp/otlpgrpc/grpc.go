// Package otlpgrpc is the gRPC transport of the otlp exporter. Importing it,
// once, anywhere in a program, makes otlp.WithGRPC and
// OTEL_EXPORTER_OTLP_PROTOCOL=grpc work:
//
//	import _ "github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc"
//
// It is a module of its own so that only the programs that import it carry
// gRPC (about 8 MB of a binary) and its dependency graph. Requests are
// encoded by the otlp package and sent as they are, through a codec that
// passes bytes (the content type is still application/grpc+proto, so any
// OTLP receiver accepts them); Unavailable and ResourceExhausted are retried
// with backoff within the export's deadline.
package otlpgrpc

import (
	"context"
	"crypto/tls"
	"fmt"
	"math/rand/v2"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/tracegen/tracegen/runtime/exporter/otlp/internal/grpcdial"
)

func init() { grpcdial.Dial = dial }

// exportMethod is the OTLP trace service's one method.
const exportMethod = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"

type conn struct {
	cfg      grpcdial.Config
	cc       *grpc.ClientConn
	md       metadata.MD
	callOpts []grpc.CallOption
}

func dial(cfg grpcdial.Config) (grpcdial.Conn, error) {
	creds := insecure.NewCredentials()
	if cfg.TLS {
		creds = credentials.NewTLS(&tls.Config{MinVersion: tls.VersionTLS12})
	}
	cc, err := grpc.NewClient(cfg.Target, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, fmt.Errorf("otlp: grpc target %q: %w", cfg.Target, err)
	}
	c := &conn{cfg: cfg, cc: cc, callOpts: []grpc.CallOption{grpc.ForceCodecV2(rawCodec{})}}
	if len(cfg.Headers) > 0 {
		c.md = metadata.New(cfg.Headers)
	}
	if cfg.Gzip {
		c.callOpts = append(c.callOpts, grpc.UseCompressor(gzip.Name))
	}
	return c, nil
}

func (c *conn) Close() error { return c.cc.Close() }

func (c *conn) Export(ctx context.Context, request []byte) ([]byte, int, error) {
	if c.md != nil {
		ctx = metadata.NewOutgoingContext(ctx, c.md)
	}
	backoff := c.cfg.Retry.Initial
	for attempt := 1; ; attempt++ {
		var resp rawMessage
		err := c.cc.Invoke(ctx, exportMethod, rawMessage(request), &resp, c.callOpts...)
		if err == nil {
			return resp, attempt, nil
		}
		code := status.Code(err)
		if code != codes.Unavailable && code != codes.ResourceExhausted || ctx.Err() != nil {
			return nil, attempt, fmt.Errorf("otlp: export to %s: %w", c.cfg.Target, err)
		}
		wait := backoff/2 + rand.N(backoff/2+1)
		backoff = min(backoff*2, c.cfg.Retry.Max)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return nil, attempt, fmt.Errorf("otlp: export to %s: %w (gave up after %d attempts)", c.cfg.Target, err, attempt)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, attempt, fmt.Errorf("otlp: export to %s: %w", c.cfg.Target, err)
		case <-t.C:
		}
	}
}
