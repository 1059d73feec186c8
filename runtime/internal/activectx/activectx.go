// Package activectx is the context.Context that the spans of this module's
// tracers carry inside themselves, so that starting a span and the context
// in which it is active cost one allocation, not two.
//
// A span type offers one by having a method ActiveContext() *Context; the
// runtime's Start fills it with the caller's context the first time, instead
// of allocating a context.WithValue. It is internal because only the
// runtime and the tracers of this module need it: a tracer of another
// module gets the same saving by implementing fastpath.ContextStarter.
package activectx

import (
	"context"
	"fmt"
	"time"
)

// Key is the context key under which the runtime stores the active span.
// It is a pointer, so that a key comparison is a pointer comparison.
var Key = new(key)

type key struct{ _ byte }

// Context is a context in which a span is active. It has its parent's
// deadline, cancellation and values, and answers Key with the span.
//
// The zero Context is unused. Fill sets it once, for a span the tracer has
// just returned, before the span is visible to any other goroutine; the
// tracer must return a new span, with its own Context, for every call.
type Context struct {
	parent context.Context
	span   any // a runtime.Span
}

var _ context.Context = (*Context)(nil)

// Fill makes span active in c with parent as the parent context, and
// reports whether c was unused.
func (c *Context) Fill(parent context.Context, span any) bool {
	if c.parent != nil {
		return false
	}
	c.parent, c.span = parent, span
	return true
}

// Parent returns the context c was filled with.
func (c *Context) Parent() context.Context { return c.parent }

// Span returns the span active in c.
func (c *Context) Span() any { return c.span }

// Deadline implements context.Context: the parent's deadline.
func (c *Context) Deadline() (deadline time.Time, ok bool) { return c.parent.Deadline() }

// Done implements context.Context: the parent's Done channel.
func (c *Context) Done() <-chan struct{} { return c.parent.Done() }

// Err implements context.Context: the parent's error.
func (c *Context) Err() error { return c.parent.Err() }

// Value implements context.Context: the span for Key, the parent's values
// for any other key.
func (c *Context) Value(k any) any {
	if k == any(Key) {
		return c.span
	}
	return c.parent.Value(k)
}

// String describes the context as context.WithValue's contexts do.
func (c *Context) String() string {
	return fmt.Sprintf("%v.WithSpan(%T)", c.parent, c.span)
}
