// Package spantree is run after instrumentation: its test asserts the span
// tree the injected code records.
package spantree

import (
	"context"
	"errors"
)

//trace:span tags=n
func Outer(ctx context.Context, n int) error {
	if err := Inner(ctx); err != nil {
		return err
	}
	return Fail(ctx)
}

//trace:span
func Inner(ctx context.Context) error { return nil }

// Fail declares its own err and returns it.
//
//trace:span
func Fail(ctx context.Context) error {
	err := errors.New("failed")
	return err
}

//trace:span root
func Boom() {
	panic("boom")
}
