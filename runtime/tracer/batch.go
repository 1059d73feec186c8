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
// (default DefaultMaxQueueSize). Spans finished while the queue is full are
// dropped and counted.
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

// DefaultMaxQueueSize is the default bound of a BatchProcessor's queue:
// 16384 spans, eight times OpenTelemetry's 2048. Measured here with two
// goroutines finishing spans as fast as they can, the exporting goroutine
// is sometimes not scheduled for several milliseconds (the operating
// system's time slices on a shared machine): 2048 spans last under a
// millisecond at that rate, and 0.05-0.4% of spans were dropped; with 16384
// none were. The bound costs memory only while the exporter is behind: a
// span with a few tags and no logs takes about 400 bytes, so a full queue
// holds about 6.5 MB.
const DefaultMaxQueueSize = 16384

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
// goroutine. OnEnd never blocks: it appends to the batch being filled, a
// mutex-guarded slice, and when that batch is full hands it to the
// exporting goroutine through a channel holding at most the queue size's
// worth of batches. When the exporter is that far behind, spans are dropped
// and counted. The exporting goroutine also exports the partly filled batch
// when the batch timeout expires, on ForceFlush and on Shutdown, each
// export with the export timeout.
//
// The exporting goroutine takes full batches from the channel, not from
// under the mutex, so however hard the producers contend for the mutex, it
// is never kept waiting for it; and a producer that hands a batch over
// yields its P, so the exporter runs even when every P is finishing spans.
//
// Ownership: the exporter receives spans in a slice it may keep; the
// processor never touches that slice again, nor the spans, unless the
// exporter is a SpanReleaser: then the spans are given back to the tracer
// for reuse once ExportSpans returns (see SpanReleaser).
type BatchProcessor struct {
	exp      Exporter
	cfg      batchConfig
	releases bool // exp is a SpanReleaser: release spans after export

	mu       sync.Mutex
	filling  []*SpanData // the batch being filled, never longer than batchSize
	queued   uint64
	stopping bool

	full    chan []*SpanData // full batches waiting for export
	flushes chan flushReq    // ForceFlush requests
	stop    chan flushReq    // the Shutdown request
	done    chan struct{}    // closed when the exporting goroutine ends
	once    sync.Once        // Shutdown
	shutErr error

	dropped, exported, failed atomic.Uint64
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
	c := batchConfig{queueSize: DefaultMaxQueueSize, batchSize: 512, interval: 5 * time.Second, exportTimeout: 30 * time.Second}
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
	// The batch being filled plus the full ones waiting hold at most
	// queueSize spans (rounded down to whole batches, at least two).
	waiting := max(c.queueSize/c.batchSize-1, 1)
	r, ok := exp.(SpanReleaser)
	p := &BatchProcessor{
		releases: ok && r.ReleasesSpans(),
		exp:      exp,
		cfg:      c,
		filling:  make([]*SpanData, 0, c.batchSize),
		full:     make(chan []*SpanData, waiting),
		flushes:  make(chan flushReq),
		stop:     make(chan flushReq),
		done:     make(chan struct{}),
	}
	go p.run()
	return p
}

// OnEnd implements Processor. It never blocks.
func (p *BatchProcessor) OnEnd(s *SpanData) {
	p.mu.Lock()
	if p.stopping || len(p.filling) >= p.cfg.batchSize && !p.handOverLocked() {
		p.mu.Unlock()
		p.release(s)
		if n := p.dropped.Add(1); n%yieldEvery == 1 {
			// The exporter is behind: let it be scheduled.
			runtime.Gosched()
		}
		return
	}
	p.filling = append(p.filling, s)
	p.queued++
	handed := len(p.filling) >= p.cfg.batchSize && p.handOverLocked()
	p.mu.Unlock()
	if handed {
		// The exporting goroutine, woken by the hand-over, would
		// otherwise wait for this goroutine to block or be preempted
		// (10ms) while every P finishes spans. Yielding never waits
		// for it; it only lets it run now.
		runtime.Gosched()
	}
}

// yieldEvery: while dropping, OnEnd yields once per this many drops.
const yieldEvery = 64

// handOverLocked passes the full batch to the exporting goroutine and
// starts a new one. It returns false, keeping the batch, when the
// exporter already has the queue's worth of batches waiting. The caller
// holds mu.
func (p *BatchProcessor) handOverLocked() bool {
	select {
	case p.full <- p.filling:
		p.filling = make([]*SpanData, 0, p.cfg.batchSize)
		return true
	default:
		return false
	}
}

// Stats returns the processor's counters.
func (p *BatchProcessor) Stats() BatchStats {
	p.mu.Lock()
	queued := p.queued
	p.mu.Unlock()
	exported, failed := p.exported.Load(), p.failed.Load()
	return BatchStats{
		Queued:   queued,
		Dropped:  p.dropped.Load(),
		Exported: exported,
		Failed:   failed,
		Pending:  queued - min(queued, exported+failed),
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
		case b := <-p.full:
			_ = p.export(context.Background(), b)
		case <-timer.C:
			_ = p.exportQueued(context.Background())
			timer.Reset(p.cfg.interval)
		case req := <-p.flushes:
			req.done <- p.exportQueued(req.ctx)
		case req := <-p.stop:
			err := p.exportQueued(req.ctx)
			if q := p.takeQueued(); len(q) > 0 { // spans left after a deadline
				p.failed.Add(uint64(len(q)))
				p.release(q...)
			}
			if sErr := p.exp.Shutdown(req.ctx); sErr != nil {
				err = errors.Join(err, sErr)
			}
			req.done <- err
			return
		}
	}
}

// takeQueued returns every span queued now, oldest first: the full batches
// waiting, then the batch being filled. A batch handed over while it runs
// is either taken here or was handed over after the batch being filled was
// taken, so every span queued before the call is returned.
func (p *BatchProcessor) takeQueued() []*SpanData {
	p.mu.Lock()
	filling := p.filling
	if len(filling) > 0 {
		p.filling = make([]*SpanData, 0, p.cfg.batchSize)
	}
	p.mu.Unlock()
	var q []*SpanData
	for {
		select {
		case b := <-p.full:
			q = append(q, b...)
			continue
		default:
		}
		break
	}
	return append(q, filling...)
}

// exportQueued exports everything queued now, in batches, stopping early
// if ctx ends; spans it could not export are counted as failed.
func (p *BatchProcessor) exportQueued(ctx context.Context) error {
	var errs []error
	q := p.takeQueued()
	for len(q) > 0 {
		n := min(len(q), p.cfg.batchSize)
		batch := q[:n:n]
		q = q[n:]
		if err := ctx.Err(); err != nil {
			p.failed.Add(uint64(n))
			p.release(batch...)
			errs = append(errs, err)
			continue
		}
		if err := p.export(ctx, batch); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (p *BatchProcessor) export(ctx context.Context, batch []*SpanData) error {
	ectx, cancel := context.WithTimeout(ctx, p.cfg.exportTimeout)
	err := p.exp.ExportSpans(ectx, batch)
	cancel()
	p.release(batch...)
	n := uint64(len(batch))
	if err != nil {
		p.failed.Add(n)
	} else {
		p.exported.Add(n)
	}
	return err
}

// releasingProcessor is a processor that releases the spans it is given
// (see releaseData) once it is done with them, so that its tracer may give
// it spans whose SpanData comes from the tracer's pool.
type releasingProcessor interface {
	releasesSpans() bool
}

func (p *BatchProcessor) releasesSpans() bool { return p.releases }

// release gives spans back to the tracer for reuse when the exporter has
// promised to keep nothing of them.
func (p *BatchProcessor) release(spans ...*SpanData) {
	if !p.releases {
		return
	}
	for _, s := range spans {
		releaseData(s)
	}
}

type discardExporter struct{}

func (discardExporter) ReleasesSpans() bool { return true }

func (discardExporter) ExportSpans(context.Context, []*SpanData) error { return nil }
func (discardExporter) Shutdown(context.Context) error                 { return nil }
