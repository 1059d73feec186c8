// Package traceredis traces github.com/redis/go-redis/v9 clients: the Go
// counterpart of the instrumentation library's redis client hook.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379"})
//	rdb.AddHook(traceredis.NewHook())
//
// Each command becomes a client span named after it (GET, SET, …), a child of
// the span active in the command's context; a pipeline or transaction
// becomes one span named "pipeline" or "multi" tagged with the number and
// names of its commands. Spans carry db.type=redis, db.statement,
// db.instance (the database number) and peer.address. redis.Nil, the "key
// not found" answer, is not an error.
//
// db.statement is the command with its keys, each value written "?":
// "set session:42 ?", "hset user:7 ? ?". A command whose keys the hook does
// not know records its name alone. WithFullArguments records the values
// too. Credentials are never recorded, under any option: the arguments of
// AUTH, HELLO's and MIGRATE's AUTH, ACL SETUSER's rules and CONFIG SET's
// values are "?".
//
// When a command has to open a connection, the connection's handshake
// commands (HELLO, CLIENT SETINFO) pass through the hook too and appear as
// spans under the same parent: they are part of that command's latency.
package traceredis

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"

	"github.com/redis/go-redis/v9"

	tracegen "github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/fastpath"
)

// Option configures the hook.
type Option func(*Hook)

// WithTracer uses t instead of the global tracer.
func WithTracer(t tracegen.Tracer) Option {
	return func(h *Hook) {
		if t != nil {
			h.tracer = t
		}
	}
}

// WithRequireParent traces a command only if its context carries a span.
func WithRequireParent() Option { return func(h *Hook) { h.requireParent = true } }

// WithMaxStatementLength truncates db.statement to n bytes (default 512;
// 0 leaves the statement out, for commands that carry secrets).
func WithMaxStatementLength(n int) Option { return func(h *Hook) { h.maxStatement = n } }

// WithFullArguments records every argument of a command in db.statement,
// values included, but credentials (see the package doc).
func WithFullArguments() Option { return func(h *Hook) { h.fullArgs = true } }

// WithAddr sets peer.address and db.instance, which a hook cannot learn
// from the client itself.
func WithAddr(addr string, db int) Option {
	return func(h *Hook) { h.addr, h.db = addr, strconv.Itoa(db) }
}

// Hook is a redis.Hook that traces commands.
type Hook struct {
	tracer        tracegen.Tracer
	requireParent bool
	maxStatement  int
	fullArgs      bool
	addr, db      string
}

var _ redis.Hook = (*Hook)(nil)

// NewHook returns a hook for redis.Client.AddHook (and the cluster, ring and
// sentinel clients).
func NewHook(opts ...Option) *Hook {
	h := &Hook{tracer: tracegen.GlobalTracer(), maxStatement: 512}
	for _, o := range opts {
		o(h)
	}
	return h
}

// DialHook passes dials through untraced.
func (h *Hook) DialHook(next redis.DialHook) redis.DialHook {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		return next(ctx, network, addr)
	}
}

// ProcessHook traces one command.
func (h *Hook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		span := h.start(ctx, strings.ToUpper(cmd.Name()))
		if span == nil {
			return next(ctx, cmd)
		}
		h.tagStatement(span, statement(cmd.Args(), h.fullArgs))
		err := next(ctx, cmd)
		finish(span, err)
		return err
	}
}

// ProcessPipelineHook traces a pipeline or transaction as one span.
func (h *Hook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		name := "pipeline"
		if len(cmds) > 0 && cmds[0].Name() == "multi" {
			name = "multi"
		}
		span := h.start(ctx, name)
		if span == nil {
			return next(ctx, cmds)
		}
		names := make([]string, len(cmds))
		for i, c := range cmds {
			names[i] = strings.ToUpper(c.Name())
		}
		span.SetTag("db.redis.num_cmd", len(cmds))
		h.tagStatement(span, strings.Join(names, " "))
		err := next(ctx, cmds)
		finish(span, err)
		return err
	}
}

func (h *Hook) start(ctx context.Context, name string) tracegen.Span {
	parent := tracegen.SpanFromContext(ctx)
	if parent == nil && h.requireParent {
		return nil
	}
	var o tracegen.StartSpanOptions
	if parent != nil {
		o.Parent = parent.Context()
	}
	span := fastpath.StartSpanWithOptions(h.tracer, name, o)
	span.SetTag("span.kind", "client")
	span.SetTag("component", "go-redis")
	span.SetTag("db.type", "redis")
	if h.addr != "" {
		span.SetTag("peer.address", h.addr)
		span.SetTag("db.instance", h.db)
	}
	return span
}

func (h *Hook) tagStatement(span tracegen.Span, stmt string) {
	if h.maxStatement <= 0 {
		return
	}
	if len(stmt) > h.maxStatement {
		stmt = stmt[:h.maxStatement]
	}
	span.SetTag("db.statement", stmt)
}

func finish(span tracegen.Span, err error) {
	if err != nil && !errors.Is(err, redis.Nil) {
		tracegen.RecordError(span, err)
	}
	span.Finish()
}
