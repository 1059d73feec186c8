package svc

import (
	"context"
	"errors"
	"net/http"

	"fmt" //tracegen:generated

	opentracing "github.com/opentracing/opentracing-go" //tracegen:generated
	otlog "github.com/opentracing/opentracing-go/log"   //tracegen:generated
)

//trace:span tags=id,name,ok kind=client
func Fetch(ctx context.Context, id int, name string, ok bool) (_ string, err error) {
	var tracegenSpan opentracing.Span
	if ctx != nil {
		tracegenSpan, ctx = opentracing.StartSpanFromContext(ctx, "svc.Fetch", opentracing.Tag{Key: "span.kind", Value: "client"})
	} else {
		tracegenSpan = opentracing.StartSpan("svc.Fetch", opentracing.Tag{Key: "span.kind", Value: "client"})
	}
	tracegenSpan.SetTag("id", int64(id))
	tracegenSpan.SetTag("name", name)
	tracegenSpan.SetTag("ok", ok)
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.SetTag("error", true)
			tracegenSpan.LogFields(otlog.String("event", "error"), otlog.String("message", fmt.Sprint(tracegenPanic)))
			tracegenSpan.Finish()
			panic(tracegenPanic)
		}
		if err != nil {
			tracegenSpan.SetTag("error", true)
			tracegenSpan.LogFields(otlog.String("event", "error"), otlog.Error(err))
		}
		tracegenSpan.Finish()
	}() //tracegen:generated err=unnamed
	if !ok {
		return "", errors.New("not ok")
	}
	return name, nil
}

//trace:span root
func Root() {
	tracegenSpan := opentracing.StartSpan("svc.Root")
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.SetTag("error", true)
			tracegenSpan.LogFields(otlog.String("event", "error"), otlog.String("message", fmt.Sprint(tracegenPanic)))
			tracegenSpan.Finish()
			panic(tracegenPanic)
		}
		tracegenSpan.Finish()
	}() //tracegen:generated oneline
}

//trace:span
func Handle(w http.ResponseWriter, r *http.Request) {
	var tracegenSpan opentracing.Span
	if r != nil {
		var tracegenCtx context.Context
		tracegenSpan, tracegenCtx = opentracing.StartSpanFromContext(r.Context(), "svc.Handle")
		r = r.WithContext(tracegenCtx)
	} else {
		tracegenSpan = opentracing.StartSpan("svc.Handle")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.SetTag("error", true)
			tracegenSpan.LogFields(otlog.String("event", "error"), otlog.String("message", fmt.Sprint(tracegenPanic)))
			tracegenSpan.Finish()
			panic(tracegenPanic)
		}
		tracegenSpan.Finish()
	}() //tracegen:generated
	_ = r.Context()
}

//trace:span noerror
func Quiet(ctx context.Context) error {
	var tracegenSpan opentracing.Span
	if ctx != nil {
		tracegenSpan, ctx = opentracing.StartSpanFromContext(ctx, "svc.Quiet")
	} else {
		tracegenSpan = opentracing.StartSpan("svc.Quiet")
	}
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.SetTag("error", true)
			tracegenSpan.LogFields(otlog.String("event", "error"), otlog.String("message", fmt.Sprint(tracegenPanic)))
			tracegenSpan.Finish()
			panic(tracegenPanic)
		}
		tracegenSpan.Finish()
	}() //tracegen:generated oneline
	return ctx.Err()
}
