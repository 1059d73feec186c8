package tracer

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// BatchOption configures a BatchProcessor.
type BatchOption func(*batchConfig)

type batchConfig struct {
	queueSize     int
	batchSize     int
	interval      time.Duration
	exportTimeout time.Duration
}

// WithMaxQueueSize sets how many finished spans may wait for export
// (default 2048, OpenTelemetry's). Spans finished while the queue is full
// are dropped and counted.
func WithMaxQueueSize(n int) BatchOption {
	return func(c *batchConfig) {
		if n > 0 {
			c.queueSize = n
		}
	}
}

// WithMaxExportBatchSize sets the most spans given to one ExportSpans call,
// and the queue length that starts an export before the interval ends
// (default 512).
func WithMaxExportBatchSize(n int) BatchOption {
	return func(c *batchConfig) {
		if n > 0 {
			c.batchSize = n
		}
	}
}

// WithBatchTimeout sets the longest a finished span waits before it is
// exported (default 5s).
func WithBatchTimeout(d time.Duration) BatchOption {
	return func(c *batchConfig) {
		if d > 0 {
			c.interval = d
		}
	}
}

// WithExportTimeout sets the deadline of each ExportSpans call (default
// 30s).
func WithExportTimeout(d time.Duration) BatchOption {
	return func(c *batchConfig) {
		if d > 0 {
			c.exportTimeout = d
		}
	}
}

// BatchStats counts what a BatchProcessor did with the spans it was given.
// Every span given to OnEnd is counted once in Queued or Dropped, and every
// queued span ends in Exported or Failed (or is still Pending).
type BatchStats struct {
	// Queued: spans accepted into the queue.
	Queued uint64
	// Dropped: spans refused because the queue was full or the processor
	// was shut down.
	Dropped uint64
	// Exported: spans in ExportSpans calls that returned nil.
	Exported uint64
	// Failed: spans in ExportSpans calls that returned an error (after the
	// exporter's own retries), and spans still queued when Shutdown gave
	// up at its deadline.
	Failed uint64
	// Pending: spans queued or being exported now.
	Pending uint64
}

// BatchProcessor queues finished spans and exports them in batches from one
// goroutine. OnEnd never blocks: it appends to a bounded, mutex-guarded
// slice, and a full queue drops the span and counts it. The exporting
// goroutine swaps the slice for an empty one when a batch is full, when the
// batch timeout expires, or on ForceFlush, and exports it in chunks of at
// most the batch size, each with the export timeout; meanwhile OnEnd keeps
// filling the new slice.
//
// Ownership: the exporter receives spans in a slice it may keep; the
// processor never touches that slice or the spans again.
type BatchProcessor struct {
	exp Exporter
	cfg batchConfig

	mu       sync.Mutex
	queue    []*SpanData
	kicked   bool // a wake-up is pending in kick
	busy     bool // the exporting goroutine is exporting
	stopping bool

	kick    chan struct{} // wakes the exporting goroutine
	flushes chan flushReq // ForceFlush requests
	stop    chan flushReq // the Shutdown request
	done    chan struct{} // closed when the exporting goroutine ends
	once    sync.Once     // Shutdown
	shutErr error

	queued uint64 // guarded by mu

	dropped, exported, failed, inflight atomic.Uint64
}

type flushReq struct {
	ctx  context.Context
	done chan error
}

var _ Processor = (*BatchProcessor)(nil)

// NewBatchProcessor returns a processor that exports to exp in batches and
// starts its exporting goroutine, which ends with Shutdown. A nil exp
// discards the spans (and counts them as exported).
func NewBatchProcessor(exp Exporter, opts ...BatchOption) *BatchProcessor {
	c := batchConfig{queueSize: 2048, batchSize: 512, interval: 5 * time.Second, exportTimeout: 30 * time.Second}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if exp == nil {
		exp = discardExporter{}
	}
	if c.batchSize > c.queueSize {
		c.batchSize = c.queueSize
	}
	p := &BatchProcessor{
		exp:     exp,
		cfg:     c,
		queue:   make([]*SpanData, 0, c.batchSize),
		kick:    make(chan struct{}, 1),
		flushes: make(chan flushReq),
		stop:    make(chan flushReq),
		done:    make(chan struct{}),
	}
	go p.run()
	return p
}

// OnEnd implements Processor. It never blocks.
func (p *BatchProcessor) OnEnd(s *SpanData) {
	p.mu.Lock()
	if p.stopping || len(p.queue) >= p.cfg.queueSize {
		p.mu.Unlock()
		p.dropped.Add(1)
		return
	}
	p.queue = append(p.queue, s)
	p.queued++
	full := len(p.queue) >= p.cfg.batchSize
	wake := full && !p.kicked
	if wake {
		p.kicked = true
	}
	behind := full && !p.busy
	p.mu.Unlock()
	if wake {
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
	if behind {
		// A full batch waits and the exporting goroutine, woken, has not
		// run yet: when every P is busy finishing spans it would wait
		// for preemption (10ms) while the queue overflows. Yield the P
		// so it runs now. This never waits; while an export is in
		// progress (busy), OnEnd does not yield.
		runtime.Gosched()
	}
}

// Stats returns the processor's counters.
func (p *BatchProcessor) Stats() BatchStats {
	p.mu.Lock()
	n, queued := uint64(len(p.queue)), p.queued
	p.mu.Unlock()
	return BatchStats{
		Queued:   queued,
		Dropped:  p.dropped.Load(),
		Exported: p.exported.Load(),
		Failed:   p.failed.Load(),
		Pending:  n + p.inflight.Load(),
	}
}

// ForceFlush implements Processor: it exports every span queued before the
// call and returns when they are exported, or with ctx's error when ctx
// ends first (the export then goes on in the background).
func (p *BatchProcessor) ForceFlush(ctx context.Context) error {
	req := flushReq{ctx: ctx, done: make(chan error, 1)}
	select {
	case p.flushes <- req:
	case <-p.done:
		return errors.New("tracer: batch processor is shut down")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Shutdown implements Processor: it stops accepting spans (later ones are
// counted as dropped), exports what is queued, shuts the exporter down and
// ends the exporting goroutine, all within ctx's deadline. If ctx ends
// first it returns ctx's error; the goroutine still ends once the export in
// progress returns (bounded by the export timeout). Later calls return the
// first call's result.
func (p *BatchProcessor) Shutdown(ctx context.Context) error {
	p.once.Do(func() {
		p.mu.Lock()
		p.stopping = true
		p.mu.Unlock()
		req := flushReq{ctx: ctx, done: make(chan error, 1)}
		select {
		case p.stop <- req:
		case <-ctx.Done():
			p.shutErr = ctx.Err()
			// The goroutine is busy exporting; tell it to stop after.
			go func() { p.stop <- flushReq{ctx: context.Background(), done: make(chan error, 1)} }()
			return
		}
		select {
		case p.shutErr = <-req.done:
		case <-ctx.Done():
			p.shutErr = ctx.Err()
		}
	})
	return p.shutErr
}

// run is the exporting goroutine.
func (p *BatchProcessor) run() {
	defer close(p.done)
	timer := time.NewTimer(p.cfg.interval)
	defer timer.Stop()
	for {
		select {
		case <-p.kick:
			p.exportQueued(context.Background())
		case <-timer.C:
			p.exportQueued(context.Background())
			timer.Reset(p.cfg.interval)
		case req := <-p.flushes:
			req.done <- p.exportQueued(req.ctx)
		case req := <-p.stop:
			err := p.exportQueued(req.ctx)
			if n := p.takeQueue(); len(n) > 0 { // spans left after a deadline
				p.failed.Add(uint64(len(n)))
			}
			if sErr := p.exp.Shutdown(req.ctx); sErr != nil {
				err = errors.Join(err, sErr)
			}
			req.done <- err
			return
		}
	}
}

// takeQueue swaps the queue for an empty one and returns the old one.
func (p *BatchProcessor) takeQueue() []*SpanData {
	p.mu.Lock()
	q := p.queue
	p.busy = len(q) > 0
	if p.busy {
		p.queue = make([]*SpanData, 0, p.cfg.batchSize)
		p.inflight.Add(uint64(len(q)))
	}
	p.kicked = false
	p.mu.Unlock()
	return q
}

// exportQueued exports everything queued now, in batches, stopping early
// if ctx ends; spans it could not export are counted as failed.
func (p *BatchProcessor) exportQueued(ctx context.Context) error {
	var errs []error
	for {
		q := p.takeQueue()
		if len(q) == 0 {
			return errors.Join(errs...)
		}
		for len(q) > 0 {
			n := min(len(q), p.cfg.batchSize)
			batch := q[:n:n]
			q = q[n:]
			if err := ctx.Err(); err != nil {
				p.failed.Add(uint64(n))
				p.inflight.Add(^uint64(n - 1))
				errs = append(errs, err)
				continue
			}
			if err := p.export(ctx, batch); err != nil {
				errs = append(errs, err)
			}
		}
		if ctx.Err() != nil {
			return errors.Join(errs...)
		}
	}
}

func (p *BatchProcessor) export(ctx context.Context, batch []*SpanData) error {
	ectx, cancel := context.WithTimeout(ctx, p.cfg.exportTimeout)
	err := p.exp.ExportSpans(ectx, batch)
	cancel()
	n := uint64(len(batch))
	if err != nil {
		p.failed.Add(n)
	} else {
		p.exported.Add(n)
	}
	p.inflight.Add(^(n - 1))
	return err
}

type discardExporter struct{}

func (discardExporter) ExportSpans(context.Context, []*SpanData) error { return nil }
func (discardExporter) Shutdown(context.Context) error                 { return nil }
