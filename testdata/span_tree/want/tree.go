// Package spantree is run after instrumentation: its test asserts the span
// tree the injected code records.
package spantree

import (
	"context"
	"errors"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

//trace:span tags=n
func Outer(ctx context.Context, n int) (tracegenErr error) {
	defer tracegen.Start(&ctx, "spantree.Outer").TagInt("n", int64(n)).End(&tracegenErr) //tracegen:generated tracegenErr=unnamed
	if err := Inner(ctx); err != nil {
		return err
	}
	return Fail(ctx)
}

//trace:span
func Inner(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "spantree.Inner").End(&err) //tracegen:generated oneline err=unnamed
	return nil
}

// Fail declares its own err and returns it.
//
//trace:span
func Fail(ctx context.Context) (tracegenErr error) {
	defer tracegen.Start(&ctx, "spantree.Fail").End(&tracegenErr) //tracegen:generated tracegenErr=unnamed
	err := errors.New("failed")
	return err
}

//trace:span root
func Boom() {
	defer tracegen.Start(nil, "spantree.Boom").End(nil) //tracegen:generated
	panic("boom")
}
