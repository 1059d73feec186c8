package bench

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgconn/ctxwatch"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// pgconnEntry is what pgx's connection code (pgconn.PgConn.ReceiveMessage,
// Exec and the others, v5.12) does with the context of every call before
// touching the wire: nothing for context.Background itself, and for any
// other context a check that it is not done and a watch of it with the
// connection's ctxwatch.ContextWatcher, undone on return.
func pgconnEntry(ctx context.Context, cw *ctxwatch.ContextWatcher) error {
	if ctx != context.Background() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		cw.Watch(ctx)
		defer cw.Unwatch()
	}
	return nil
}

type nopHandler struct{}

func (nopHandler) HandleCancel(context.Context) {}
func (nopHandler) HandleUnwatchAfterCancel()    {}

// BenchmarkPgxContextCheck measures what a function instrumented with a
// tracer installed costs pgx when its caller passed context.Background:
// the rebound context is not Background, so pgx takes its slow path, which
// for a context that can never be done (Done returns nil, as the rebound
// Background's does) is a mutex and a select. "cancelable" is a
// context.WithCancel, for scale: pgx then arms context.AfterFunc.
//
//	go test -run '^$' -bench PgxContextCheck -count 6 ./ | benchstat -
func BenchmarkPgxContextCheck(b *testing.B) {
	cw := ctxwatch.NewContextWatcher(nopHandler{})
	tracegen.SetGlobalTracer(mocktracer.New())
	defer tracegen.ResetGlobalTracer()
	rebound := context.Background()
	scope := tracegen.Start(&rebound, "caller")
	defer scope.End(nil)
	cancelable, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, bc := range []struct {
		name string
		ctx  context.Context
	}{
		{"background", context.Background()},
		{"rebound", rebound},
		{"cancelable", cancelable},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := pgconnEntry(bc.ctx, cw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
