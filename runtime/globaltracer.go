package runtime

import (
	"errors"
	"sync"
	"sync/atomic"
)

// installed holds the tracer set by SetGlobalTracer, nil until then.
// recording is the same but stays nil while the tracer is a NoopTracer: the
// generated code's fast path tests that one pointer.
var installed, recording atomic.Pointer[tracerBox]

// setMu serialises SetGlobalTracer and ResetGlobalTracer, so that racing
// calls cannot leave installed and recording naming different tracers.
// Readers do not take it.
var setMu sync.Mutex

type tracerBox struct {
	tracer     Tracer
	ctxStarter contextStarter // tracer, if it is one
}

// globalHandle is what GlobalTracer returns: it forwards every call to the
// tracer installed at the time of the call.
type globalHandle struct{}

var _ Tracer = globalHandle{}

// GlobalTracer returns the global tracer. Until SetGlobalTracer is called it
// behaves as a NoopTracer; afterwards it forwards to the installed tracer,
// also when it was obtained before SetGlobalTracer.
func GlobalTracer() Tracer { return globalHandle{} }

// CurrentTracer returns the tracer installed now, or a NoopTracer.
// Unlike GlobalTracer, the result does not follow later SetGlobalTracer calls.
func CurrentTracer() Tracer {
	if b := installed.Load(); b != nil {
		return b.tracer
	}
	return defaultNoopTracer
}

// SetGlobalTracer installs t as the global tracer. It is safe to call at any
// time from any goroutine. A nil tracer is rejected with an error and the
// global tracer is left as it was.
func SetGlobalTracer(t Tracer) error {
	if t == nil {
		return errors.New("tracegen: SetGlobalTracer: nil tracer")
	}
	if _, ok := t.(globalHandle); ok {
		return errors.New("tracegen: SetGlobalTracer: the global tracer cannot be installed as itself")
	}
	b := &tracerBox{tracer: t}
	b.ctxStarter, _ = t.(contextStarter)
	setMu.Lock()
	defer setMu.Unlock()
	installed.Store(b)
	if _, noop := t.(NoopTracer); noop {
		b = nil
	}
	recording.Store(b)
	return nil
}

// IsGlobalTracerRegistered reports whether SetGlobalTracer has installed a
// tracer.
func IsGlobalTracerRegistered() bool { return installed.Load() != nil }

// ResetGlobalTracer makes the global tracer a NoopTracer again and reports
// IsGlobalTracerRegistered false. It is meant for tests.
func ResetGlobalTracer() {
	setMu.Lock()
	defer setMu.Unlock()
	installed.Store(nil)
	recording.Store(nil)
}

func (globalHandle) StartSpan(operationName string, opts ...StartSpanOption) Span {
	return CurrentTracer().StartSpan(operationName, opts...)
}

func (globalHandle) StartSpanWithOptions(operationName string, opts StartSpanOptions) Span {
	return startSpan(CurrentTracer(), operationName, opts)
}

func (globalHandle) Inject(sc SpanContext, format any, carrier any) error {
	return CurrentTracer().Inject(sc, format, carrier)
}

func (globalHandle) Extract(format any, carrier any) (SpanContext, error) {
	return CurrentTracer().Extract(format, carrier)
}
