// Package names shows the names instrumentation gives: the conventional ctx,
// r and err where they are free in the function, a reserved name where not.
package names

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated
)

// Free gets ctx and err.
//
//trace:span
func Free(ctx context.Context, _ string) (_ int, err error) {
	defer tracegen.Start(&ctx, "names.Free").End(&err) //tracegen:generated ctx=unnamed err=unnamed
	return 0, nil
}

// Blank gets ctx and err for its blank names.
//
//trace:span
func Blank(ctx context.Context, _ string) (_ int, err error) {
	defer tracegen.Start(&ctx, "names.Blank").End(&err) //tracegen:generated ctx=_ err=_
	return 0, nil
}

// ErrTaken declares err in its body: naming the result err would make that
// err the result, so the result gets a reserved name.
//
//trace:span
func ErrTaken(ctx context.Context, s string) (_ int, tracegenErr error) {
	defer tracegen.Start(&ctx, "names.ErrTaken").End(&tracegenErr) //tracegen:generated tracegenErr=unnamed
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, err
	}
	return n, nil
}

// CtxTaken has a local ctx.
//
//trace:span
func CtxTaken(tracegenCtx context.Context) (err error) {
	defer tracegen.Start(&tracegenCtx, "names.CtxTaken").End(&err) //tracegen:generated err=unnamed tracegenCtx=unnamed
	ctx := "not a context"
	_ = ctx
	return errors.New("no")
}

// Handler gets r for its request.
//
//trace:span
func Handler(w http.ResponseWriter, r *http.Request) {
	defer tracegen.StartRequest(&r, "names.Handler").End(nil) //tracegen:generated r=_
	w.WriteHeader(http.StatusNoContent)
}

// Recv uses r for its receiver, so the request gets a reserved name.
//
//trace:span
func (r *T) Recv(_ http.ResponseWriter, tracegenReq *http.Request) {
	defer tracegen.StartRequest(&tracegenReq, "names.(*T).Recv").End(nil) //tracegen:generated oneline tracegenReq=unnamed
}

// NoError does not record its error: the result keeps no name.
//
//trace:span noerror
func NoError(ctx context.Context) (int, error) {
	defer tracegen.Start(&ctx, "names.NoError").End(nil) //tracegen:generated
	return 0, nil
}

// T is a receiver.
type T struct{}
