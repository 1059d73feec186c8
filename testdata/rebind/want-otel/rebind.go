// Package rebind has functions whose callers would see a rebound context or
// request, which the generated code must leave alone, and functions whose
// context it may rebind.
package rebind

import (
	"context"
	"errors"
	"net/http"

	"fmt" //tracegen:generated

	"go.opentelemetry.io/otel"       //tracegen:generated
	"go.opentelemetry.io/otel/codes" //tracegen:generated
	"go.opentelemetry.io/otel/trace" //tracegen:generated
)

var errNilContext = errors.New("nil context")

// SetHost changes its caller's request. It is not a handler: the request
// is not replaced.
//
//trace:span
func SetHost(r *http.Request) {
	var tracegenSpan trace.Span
	if r != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(r.Context(), "rebind.SetHost")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.SetHost")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated oneline
	r.Host = "signed.example"
}

// Sign signs its caller's request.
//
//trace:span
func Sign(req *http.Request, key string) (err error) {
	var tracegenSpan trace.Span
	if req != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(req.Context(), "rebind.Sign")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Sign")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		if err != nil {
			tracegenSpan.RecordError(err)
			tracegenSpan.SetStatus(codes.Error, err.Error())
		}
		tracegenSpan.End()
	}() //tracegen:generated err=unnamed
	signed := req.Clone(req.Context())
	signed.Header.Set("Signature", key)
	req.Header = signed.Header
	return nil
}

// Serve is a handler: its request may be replaced.
//
//trace:span
func Serve(w http.ResponseWriter, r *http.Request) {
	var tracegenSpan trace.Span
	if r != nil {
		var tracegenCtx context.Context
		tracegenCtx, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(r.Context(), "rebind.Serve")
		r = r.WithContext(tracegenCtx)
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Serve")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	w.Header().Set("X-Host", r.Host)
}

// Recorder keeps the last request it served.
type Recorder struct{ Last *http.Request }

// Keep is a handler that stores its request, which must stay the caller's.
//
//trace:span
func (rec *Recorder) Keep(w http.ResponseWriter, r *http.Request) {
	var tracegenSpan trace.Span
	if r != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(r.Context(), "rebind.(*Recorder).Keep")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.(*Recorder).Keep")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	rec.Last = r
}

// Check guards against a nil context, which must stay nil.
//
//trace:span
func Check(ctx context.Context) (err error) {
	var tracegenSpan trace.Span
	if ctx != nil {
		ctx, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.Check")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Check")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		if err != nil {
			tracegenSpan.RecordError(err)
			tracegenSpan.SetStatus(codes.Error, err.Error())
		}
		tracegenSpan.End()
	}() //tracegen:generated err=unnamed
	if ctx == nil {
		return errNilContext
	}
	return ctx.Err()
}

// Same returns its context.
//
//trace:span
func Same(ctx context.Context) context.Context {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.Same")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Same")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated oneline
	return ctx
}

type userKey struct{}

// WithUser returns a context built from its own.
//
//trace:span
func WithUser(ctx context.Context, user string) context.Context {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.WithUser")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.WithUser")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	return context.WithValue(ctx, userKey{}, user)
}

// User reads what WithUser stored.
func User(ctx context.Context) string {
	s, _ := ctx.Value(userKey{}).(string)
	return s
}

// NewRequest returns a request that holds its context.
//
//trace:span
func NewRequest(ctx context.Context, url string) (_ *http.Request, err error) {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.NewRequest")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.NewRequest")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		if err != nil {
			tracegenSpan.RecordError(err)
			tracegenSpan.SetStatus(codes.Error, err.Error())
		}
		tracegenSpan.End()
	}() //tracegen:generated err=unnamed
	return http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
}

// Job holds the context it was started with.
type Job struct{ ctx context.Context }

// Start stores its context.
//
//trace:span
func (j *Job) Start(ctx context.Context) {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.(*Job).Start")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.(*Job).Start")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	j.ctx = ctx
}

// Context returns the context the job was started with.
func (j *Job) Context() context.Context { return j.ctx }

// IsBackground compares its context.
//
//trace:span
func IsBackground(ctx context.Context) bool {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.IsBackground")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.IsBackground")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	return ctx == context.Background()
}

// Matches compares a request's context with its own.
//
//trace:span
func Matches(ctx context.Context, r *http.Request) bool {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.Matches")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Matches")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	return r.Context() == ctx
}

// Derive returns its context through a named result.
//
//trace:span
func Derive(ctx context.Context) (out context.Context, err error) {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.Derive")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Derive")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		if err != nil {
			tracegenSpan.RecordError(err)
			tracegenSpan.SetStatus(codes.Error, err.Error())
		}
		tracegenSpan.End()
	}() //tracegen:generated
	out = ctx
	return out, nil
}

// Send sends its context on a channel.
//
//trace:span
func Send(ctx context.Context, ch chan<- context.Context) {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.Send")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Send")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	ch <- ctx
}

// Index uses its context as a map key.
//
//trace:span
func Index(ctx context.Context, seen map[context.Context]bool) bool {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.Index")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Index")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	return seen[ctx]
}

type valueCtx interface {
	context.Context
	Kind() string
}

// KindOf asserts its context's type.
//
//trace:span
func KindOf(ctx context.Context) string {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.KindOf")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.KindOf")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	if v, ok := ctx.(valueCtx); ok {
		return v.Kind()
	}
	return ""
}

// Later returns a closure over its context.
//
//trace:span
func Later(ctx context.Context) func() context.Context {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.Later")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Later")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	return func() context.Context { return ctx }
}

// Pair holds a context by value.
type Pair struct {
	Ctx  context.Context
	Name string
}

// MakePair returns a struct that holds its context.
//
//trace:span
func MakePair(ctx context.Context, name string) Pair {
	var tracegenSpan trace.Span
	if ctx != nil {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.MakePair")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.MakePair")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	var p Pair
	p.Name = name
	p.Ctx = ctx
	return p
}

// Fetch only passes its context down: it is rebound.
//
//trace:span
func Fetch(ctx context.Context, n int) (_ int, tracegenErr error) {
	var tracegenSpan trace.Span
	if ctx != nil {
		ctx, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.Fetch")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Fetch")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		if tracegenErr != nil {
			tracegenSpan.RecordError(tracegenErr)
			tracegenSpan.SetStatus(codes.Error, tracegenErr.Error())
		}
		tracegenSpan.End()
	}() //tracegen:generated tracegenErr=unnamed
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	v, err := double(ctx, n)
	if err != nil {
		return 0, err
	}
	return v, nil
}

func double(ctx context.Context, n int) (int, error) { return 2 * n, ctx.Err() }

// Count is rebound: what it returns cannot hold a context.
//
//trace:span
func Count(ctx context.Context, items []string) (_ int, tracegenErr error) {
	var tracegenSpan trace.Span
	if ctx != nil {
		ctx, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.Count")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Count")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		if tracegenErr != nil {
			tracegenSpan.RecordError(tracegenErr)
			tracegenSpan.SetStatus(codes.Error, tracegenErr.Error())
		}
		tracegenSpan.End()
	}() //tracegen:generated tracegenErr=unnamed
	n := 0
	for range items {
		if _, err := double(ctx, n); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Shadow returns a context of its own, not its parameter: it is rebound.
//
//trace:span
func Shadow(ctx context.Context) context.Context {
	var tracegenSpan trace.Span
	if ctx != nil {
		ctx, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(ctx, "rebind.Shadow")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/rebind_otel").Start(context.Background(), "rebind.Shadow")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated
	if ctx.Err() != nil {
		return nil
	}
	ctx2 := context.Background()
	return ctx2
}
