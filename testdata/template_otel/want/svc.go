package svc

import (
	"context"
	"errors"
	"net/http"

	"fmt" //tracegen:generated

	"go.opentelemetry.io/otel"           //tracegen:generated
	"go.opentelemetry.io/otel/attribute" //tracegen:generated
	"go.opentelemetry.io/otel/codes"     //tracegen:generated
	"go.opentelemetry.io/otel/trace"     //tracegen:generated
)

//trace:span tags=id,name,ok kind=client
func Fetch(ctx context.Context, id int, name string, ok bool) (_ string, err error) {
	var tracegenSpan trace.Span
	if ctx != nil {
		ctx, tracegenSpan = otel.Tracer("example.com/golden/template_otel").Start(ctx, "svc.Fetch", trace.WithSpanKind(trace.SpanKindClient))
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/template_otel").Start(context.Background(), "svc.Fetch", trace.WithSpanKind(trace.SpanKindClient))
	}
	tracegenSpan.SetAttributes(attribute.Int64("id", int64(id)), attribute.String("name", name), attribute.Bool("ok", ok))
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
	if !ok {
		return "", errors.New("not ok")
	}
	return name, nil
}

//trace:span root
func Root() {
	_, tracegenSpan := otel.Tracer("example.com/golden/template_otel").Start(context.Background(), "svc.Root")
	defer func() {
		if tracegenPanic := recover(); tracegenPanic != nil {
			tracegenSpan.RecordError(fmt.Errorf("panic: %v", tracegenPanic))
			tracegenSpan.SetStatus(codes.Error, fmt.Sprint(tracegenPanic))
			tracegenSpan.End()
			panic(tracegenPanic)
		}
		tracegenSpan.End()
	}() //tracegen:generated oneline
}

//trace:span
func Handle(w http.ResponseWriter, r *http.Request) {
	var tracegenSpan trace.Span
	if r != nil {
		var tracegenCtx context.Context
		tracegenCtx, tracegenSpan = otel.Tracer("example.com/golden/template_otel").Start(r.Context(), "svc.Handle")
		r = r.WithContext(tracegenCtx)
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/template_otel").Start(context.Background(), "svc.Handle")
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
	_ = r.Context()
}

//trace:span noerror
func Quiet(ctx context.Context) error {
	var tracegenSpan trace.Span
	if ctx != nil {
		ctx, tracegenSpan = otel.Tracer("example.com/golden/template_otel").Start(ctx, "svc.Quiet")
	} else {
		_, tracegenSpan = otel.Tracer("example.com/golden/template_otel").Start(context.Background(), "svc.Quiet")
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
	return ctx.Err()
}
