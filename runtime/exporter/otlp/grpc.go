package otlp

import (
	"context"
	"crypto/tls"
	"fmt"
	"math/rand/v2"
	"time"

	collectorpb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/encoding/gzip"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

func (e *Exporter) dialGRPC() error {
	creds := insecure.NewCredentials()
	if e.cfg.grpcTLS {
		creds = credentials.NewTLS(&tls.Config{MinVersion: tls.VersionTLS12})
	}
	conn, err := grpc.NewClient(e.cfg.grpcTarget, grpc.WithTransportCredentials(creds))
	if err != nil {
		return fmt.Errorf("otlp: grpc target %q: %w", e.cfg.grpcTarget, err)
	}
	client := collectorpb.NewTraceServiceClient(conn)
	var md metadata.MD
	if len(e.cfg.headers) > 0 {
		md = metadata.New(e.cfg.headers)
	}
	var callOpts []grpc.CallOption
	if e.cfg.gzip {
		callOpts = append(callOpts, grpc.UseCompressor(gzip.Name))
	}
	e.close = conn.Close
	e.send = func(ctx context.Context, req *collectorpb.ExportTraceServiceRequest) (*collectorpb.ExportTraceServiceResponse, int, error) {
		if md != nil {
			ctx = metadata.NewOutgoingContext(ctx, md)
		}
		backoff := e.cfg.retryPolicy.Initial
		for attempt := 1; ; attempt++ {
			resp, err := client.Export(ctx, req, callOpts...)
			if err == nil {
				return resp, attempt, nil
			}
			code := status.Code(err)
			if code != codes.Unavailable && code != codes.ResourceExhausted || ctx.Err() != nil {
				return nil, attempt, fmt.Errorf("otlp: export to %s: %w", e.cfg.grpcTarget, err)
			}
			wait := backoff/2 + rand.N(backoff/2+1)
			backoff = min(backoff*2, e.cfg.retryPolicy.Max)
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
				return nil, attempt, fmt.Errorf("otlp: export to %s: %w (gave up after %d attempts)", e.cfg.grpcTarget, err, attempt)
			}
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, attempt, fmt.Errorf("otlp: export to %s: %w", e.cfg.grpcTarget, err)
			case <-t.C:
			}
		}
	}
	return nil
}
